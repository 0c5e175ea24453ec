import type { Envelope, EventType } from './envelope.js'
import { limits } from './limits.js'
import { validateEvent } from './validate-event.js'

export interface BatchVerdict {
  /** The events that passed, with their position in the request. */
  accepted: { index: number; event: Envelope }[]
  /** The events that failed, with their position and the reason. */
  rejected: { index: number; reason: string; raw: unknown }[]
}

/**
 * Judges each event of a batch on its own, so that one bad event never costs its valid neighbours.
 * A batch over the event-count limit is the caller's to refuse whole (it is checked here too, per event, past the limit).
 *
 * @example
 * const { accepted, rejected } = validateBatch([{ type: 'page', anonymousId: 'a' }, { type: 'track' }])
 * // rejected → [{ index: 1, reason: 'anonymousId or userId is required', raw: {…} }]
 */
export function validateBatch(events: readonly unknown[], routeType?: EventType): BatchVerdict {
  const verdict: BatchVerdict = { accepted: [], rejected: [] }
  events.forEach((raw, index) => {
    if (index >= limits.batchEvents) {
      verdict.rejected.push({ index, reason: `batch holds more than ${limits.batchEvents} events`, raw })
      return
    }
    const result = validateEvent(raw, routeType)
    if (result.ok) verdict.accepted.push({ index, event: result.event })
    else verdict.rejected.push({ index, reason: result.reason, raw })
  })
  return verdict
}
