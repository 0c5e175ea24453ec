import type { RecordEvent } from '@spoor/protocol'
import type { Sites } from '../sites.js'
import { acceptEvents, arrivalTime, type Intake } from './accept-events.js'
import type { Refusals } from './refusals.js'

/**
 * The intake as a route that makes its own events sees it (the email routes): one event, written through the same
 * validation, IP masking, GPC policy and durable write as every other. Its id is fresh (the route made it), so it is
 * neither held nor remembered for dedupe.
 */
export function recordMadeEvent(intake: Intake, sites: Sites, refusals?: Refusals): RecordEvent {
  return async ({ writeKey, event, ip, userAgent, gpc, path }) => {
    if (!sites.byKey(writeKey)) {
      refusals?.unknownKey(writeKey, path, undefined)
      return 'unknown key'
    }
    const arrival = { receivedAt: arrivalTime(intake), writeKey, ip, userAgent, gpc, freshIds: true }
    const result = await acceptEvents(intake, [event], arrival)
    if (result.rejected.length) return 'rejected'
    // Dropped by a "drop" GPC policy: there is no event for anything to point at.
    return result.optedOut ? 'opted out' : 'written'
  }
}
