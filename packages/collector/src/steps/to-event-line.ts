import { randomUUID } from 'node:crypto'
import { type Context, type Envelope, type EventLine, limits } from '@spoor/protocol'
import type { ClientHints } from '../derive/client-hints.js'
import type { IpMask } from '../privacy-settings.js'
import { anonymizeIp } from './anonymize-ip.js'

/** What the collector knows of a request, beyond its events. */
export interface Arrival {
  receivedAt: Date
  writeKey: string
  /** The client's address as seen by the collector; only its masked form is kept. */
  ip?: string | undefined
  /** The batch's `sentAt`, for events that do not carry their own. */
  sentAt?: string | undefined
  /** The batch's `context`, under each event's own. */
  context?: Context | undefined
  /** The request's `User-Agent`, unless a server library sent it (its own agent says nothing of the visitor). */
  userAgent?: string | undefined
  /** The request's client-hint headers, unless a server library sent it (see `derive/client-hints.ts`). */
  clientHints?: ClientHints | undefined
  /** The request carried `Sec-GPC: 1`. */
  gpc?: boolean | undefined
  /** The size of the request body, when known: no event of a body this small can be over the event limit. */
  bodyBytes?: number | undefined
  /**
   * What the request sent, when that is not its body (the pixel's address and headers, whose `bodyBytes` is a bound
   * on its event's size): what bounds the bytes it may write (`limits.writeAmplification`).
   */
  sentBytes?: number | undefined
  /** An authenticated server-side call (see `server-call.ts`): its `context.ip` names the visitor. */
  serverCall?: boolean | undefined
  /** Every messageId in these events was just made by the collector: none can come again, so none is remembered. */
  freshIds?: boolean | undefined
}

/**
 * The address an event is about: `context.ip` from an authenticated server-side call (a backend passing on its
 * visitor's address), else the request's client. A browser's `context.ip` is not taken: a page could choose the
 * recorded address and the visitor-hash input.
 */
export const clientAddressOf = (event: Envelope, arrival: Arrival): string | undefined => {
  if (!arrival.serverCall) return arrival.ip
  return typeof event.context?.ip === 'string'
    ? event.context.ip
    : typeof arrival.context?.ip === 'string'
      ? arrival.context.ip
      : arrival.ip
}

// The earliest time a line may hold: year 0, the first a four-digit ISO year can write.
const earliestTime = Date.parse('0000-01-01T00:00:00.000Z')

/** The mask when the config sets none: IPv4 /16, IPv6 /48. */
export const defaultIpMask: IpMask = { ipv4MaskBytes: 2, ipv6PrefixBits: 48 }

/**
 * Turns a validated envelope into the line written to disk: every field present, the IP masked, and the time
 * corrected for the client's clock: `timestamp = receivedAt − (sentAt − originalTimestamp)`, that wait clamped to
 * [0, `limits.clientDelayMs`]. A `timestamp` sent with a `sentAt` and no `originalTimestamp` (analytics.js,
 * analytics-node) is the client's clock at the call: it becomes the line's `originalTimestamp`, and the timestamp is
 * moved by the clock's skew, `receivedAt − sentAt`, however old it is. A bare `timestamp` is kept; either is kept
 * unless more than `limits.clockAheadMs` after `receivedAt`, then moved back to it (`clamped` is told of each).
 */
export function toEventLine(event: Envelope, arrival: Arrival, mask = defaultIpMask, clamped?: () => void): EventLine {
  return createLineMaker(arrival, mask, clamped)(event)
}

/**
 * {@link toEventLine} for every event of one request: what the events share — the arrival time and its ISO form,
 * the batch's `sentAt`, the request's masked address — is worked out once, not once per event. Each call makes one
 * object, the line: its `properties`, `traits` and `context` are the event's own objects, not copies (the context
 * gets the masked IP in place), unless the batch has a `context` to merge under the event's. The events are the
 * caller's to give away: a request's parsed body, or an event made for the line.
 */
export function createLineMaker(
  arrival: Arrival,
  mask = defaultIpMask,
  clamped?: () => void,
): (event: Envelope) => EventLine {
  const receivedAtMs = arrival.receivedAt.getTime()
  const receivedAt = arrival.receivedAt.toISOString()
  const batchSentAtMs = arrival.sentAt ? Date.parse(arrival.sentAt) : NaN
  const batchContext = arrival.context
  // The request's own address, masked on first use; a server-side call's events may each name another.
  let requestIp: string | undefined
  let requestIpDone = false
  let lastRaw: string | undefined
  let lastMasked: string | undefined
  const maskedIp = (event: Envelope) => {
    const raw = clientAddressOf(event, arrival)
    if (raw === arrival.ip) {
      if (!requestIpDone) {
        requestIp = anonymizeIp(raw, mask.ipv4MaskBytes, mask.ipv6PrefixBits)
        requestIpDone = true
      }
      return requestIp
    }
    if (raw !== lastRaw) {
      lastMasked = anonymizeIp(raw, mask.ipv4MaskBytes, mask.ipv6PrefixBits)
      lastRaw = raw
    }
    return lastMasked
  }
  // Most events of a batch share a corrected time (the arrival's, when the client claims no wait).
  let lastMs = receivedAtMs
  let lastIso = receivedAt
  const isoOf = (ms: number) => {
    if (ms !== lastMs) {
      lastMs = ms
      lastIso = new Date(ms).toISOString()
    }
    return lastIso
  }

  // No time is kept more than limits.clockAheadMs after the arrival (a server's clock running ahead): later is moved
  // back to it, and counted.
  const notAhead = (at: number) => {
    if (at <= receivedAtMs + limits.clockAheadMs) return at
    clamped?.()
    return receivedAtMs
  }

  return (event) => {
    const sentAt = event.sentAt ?? arrival.sentAt ?? null
    let original = event.originalTimestamp ?? null
    // An event's own sentAt is parsed here; the batch's, once for the request.
    const sentAtMs = event.sentAt == null ? batchSentAtMs : Date.parse(event.sentAt)
    let timestamp: number
    if (!original && event.timestamp && sentAt) {
      // analytics.js, analytics-node and RudderStack's server SDKs send the client's clock at the call as
      // `timestamp`, beside the `sentAt` of the same clock: Segment reads it as the originalTimestamp and corrects it
      // by how far that clock is from the arrival. Kept bare, a browser an hour slow put its visits an hour early.
      // The correction is `receivedAt − sentAt`, however long the event waited (a backfill through a server library
      // keeps its old date), and only while that skew is a plausible one; a clock further off is left as it says.
      const at = Date.parse(event.timestamp)
      const skew = receivedAtMs - sentAtMs
      if (Math.abs(skew) <= limits.clientDelayMs && at + skew >= earliestTime) {
        original = event.timestamp
        timestamp = notAhead(at + skew)
      } else timestamp = notAhead(at)
    } else if (original && sentAt) {
      // The client's clock is data, not truth: the wait it claims is kept between none and limits.clientDelayMs.
      const waited = sentAtMs - Date.parse(original)
      if (waited < 0 || waited > limits.clientDelayMs) clamped?.()
      timestamp = receivedAtMs - Math.min(Math.max(waited, 0), limits.clientDelayMs)
    } else if (event.timestamp) {
      // A bare timestamp is a backfill (Segment's historical imports send one), or a server's own clock: kept
      // however old.
      timestamp = notAhead(Date.parse(event.timestamp))
    } else timestamp = receivedAtMs

    const context: Context = batchContext ? { ...batchContext, ...event.context } : (event.context ?? {})
    // A server library may pass the end user's address in context.ip; it is masked like the socket's.
    const ip = maskedIp(event)
    if (ip) context.ip = ip
    else delete context.ip

    return {
      messageId: event.messageId ?? randomUUID(),
      type: event.type,
      event: event.event ?? null,
      name: event.name ?? null,
      category: event.category ?? null,
      userId: event.userId ?? null,
      anonymousId: event.anonymousId ?? null,
      groupId: event.groupId ?? null,
      previousId: event.previousId ?? null,
      properties: event.properties ?? {},
      traits: event.traits ?? {},
      context,
      originalTimestamp: original,
      sentAt,
      receivedAt,
      timestamp: isoOf(timestamp),
      writeKey: arrival.writeKey,
    }
  }
}
