import type { EventLine, EventType, RejectedLine } from '@spoor/protocol'
import { validateBatch } from '@spoor/protocol'
import type { EventSink } from '../sink/event-sink.js'
import type { RecentIds } from './recent-ids.js'
import { toEventLine, type Arrival } from './to-event-line.js'

/** The parts every route that takes events shares. */
export interface Intake {
  sink: EventSink
  recent: RecentIds
}

/** The collector's answer for a batch: how many were kept, and which were refused and why. */
export interface IntakeResult {
  accepted: number
  /** Events already written earlier (a retry's repeat): counted as delivered, not written twice. */
  duplicates: number
  rejected: { index: number; reason: string }[]
}

// A refused event is kept for diagnosis, cut to this many characters.
const rawLimit = 4096

/**
 * Validates each event, writes the valid ones and, with their reasons, the invalid ones, and resolves only once
 * both are kept. Throws when the sink fails: nothing may be answered as accepted that is not on disk.
 */
export async function acceptEvents(intake: Intake, events: unknown[], arrival: Arrival, routeType?: EventType): Promise<IntakeResult> {
  const verdict = validateBatch(events, routeType)
  const inBatch = new Set<string>()
  const fresh: EventLine[] = []
  let duplicates = 0
  for (const { event } of verdict.accepted) {
    const line = toEventLine(event, arrival)
    if (intake.recent.has(arrival.writeKey, line.messageId) || inBatch.has(line.messageId)) {
      duplicates++
      continue
    }
    inBatch.add(line.messageId)
    fresh.push(line)
  }
  const receivedAt = arrival.receivedAt.toISOString()
  const rejected: RejectedLine[] = verdict.rejected.map(({ index, reason, raw }) => ({
    receivedAt,
    writeKey: arrival.writeKey,
    index,
    reason,
    raw: (JSON.stringify(raw) ?? String(raw)).slice(0, rawLimit),
  }))
  await Promise.all([intake.sink.write(fresh, arrival.receivedAt), intake.sink.reject(rejected, arrival.receivedAt)])
  intake.recent.remember(arrival.writeKey, fresh.map((line) => line.messageId))
  return { accepted: fresh.length, duplicates, rejected: verdict.rejected.map(({ index, reason }) => ({ index, reason })) }
}
