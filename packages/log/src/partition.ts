const hourMs = 3_600_000
let lastHour = NaN
let lastPartition = ''

/**
 * The Hive-style partition of an event: `dt=YYYY-MM-DD/hour=HH` of its arrival, in UTC. Every write asks, and
 * nearly all ask about the same hour as the one before: that answer is kept rather than formatted again.
 */
export function partitionOf(date: Date): string {
  const hour = Math.floor(date.getTime() / hourMs)
  if (hour !== lastHour) {
    const iso = date.toISOString()
    lastPartition = `dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}`
    lastHour = hour
  }
  return lastPartition
}
