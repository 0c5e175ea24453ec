import { randomUUID } from 'node:crypto'
import { limits, type Context, type Envelope, type EventLine } from '@spoor/protocol'
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
  return typeof event.context?.ip === 'string' ? event.context.ip : typeof arrival.context?.ip === 'string' ? arrival.context.ip : arrival.ip
}

/** The mask when the config sets none: IPv4 /16, IPv6 /48. */
export const defaultIpMask: IpMask = { ipv4MaskBytes: 2, ipv6PrefixBits: 48 }

/**
 * Turns a validated envelope into the line written to disk: every field present, the IP masked, and the time
 * corrected for the client's clock: `timestamp = receivedAt − (sentAt − originalTimestamp)`, that wait clamped to
 * [0, `limits.clientDelayMs`] (`clamped` is told when it was outside).
 */
export function toEventLine(event: Envelope, arrival: Arrival, mask = defaultIpMask, clamped?: () => void): EventLine {
  const receivedAt = arrival.receivedAt.getTime()
  const sentAt = event.sentAt ?? arrival.sentAt ?? null
  const original = event.originalTimestamp ?? null
  let timestamp: number
  if (original && sentAt) {
    // The client's clock is data, not truth: the wait it claims is kept between none and limits.clientDelayMs.
    const waited = Date.parse(sentAt) - Date.parse(original)
    if (waited < 0 || waited > limits.clientDelayMs) clamped?.()
    timestamp = receivedAt - Math.min(Math.max(waited, 0), limits.clientDelayMs)
  } else if (event.timestamp) timestamp = Date.parse(event.timestamp)
  else timestamp = receivedAt

  const context: Context = { ...arrival.context, ...event.context }
  // A server library may pass the end user's address in context.ip; it is masked like the socket's.
  const ip = anonymizeIp(clientAddressOf(event, arrival), mask.ipv4MaskBytes, mask.ipv6PrefixBits)
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
    receivedAt: arrival.receivedAt.toISOString(),
    timestamp: new Date(timestamp).toISOString(),
    writeKey: arrival.writeKey,
  }
}
