import type { QueuedEvent } from './contracts.js'

/** The longest run from the front of `events` (oldest first) within `maxEvents` and `maxBytes`. */
export function takeBatch(events: QueuedEvent[], maxEvents: number, maxBytes: number): QueuedEvent[] {
  let bytes = 0
  let count = 0
  while (count < events.length && count < maxEvents) {
    // Each event costs its size plus a comma and the `sentAt` field added at send time.
    bytes += events[count]!.size + 48
    if (bytes > maxBytes) break
    count++
  }
  return events.slice(0, count)
}
