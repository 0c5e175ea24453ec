/** The Hive-style partition of an event: `dt=YYYY-MM-DD/hour=HH` of its arrival, in UTC. */
export function partitionOf(date: Date): string {
  const iso = date.toISOString()
  return `dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}`
}
