import {
  type BatchVerdict,
  limits,
  type RedactUrl,
  type RejectedLine,
  redactCampaigns,
  redactUrls,
  utf8Length,
} from '@spoor/protocol'
import { headerFactsAllowance, headerFactsBytes } from '../derive/header-facts-bytes.js'
import type { IpMask } from '../privacy-settings.js'
import { anonymizeIp } from './anonymize-ip.js'
import { type Arrival, defaultIpMask } from './to-event-line.js'

// What a request may write is bounded by what it sent (`limits.writeAmplification`): its events as sent, what
// redaction adds to them, their copies of what the request shares, and the copies of its refused events.

// A refused event is kept for diagnosis, cut to this many characters.
const rawLimit = 4096

// What one rejected line costs beyond its reason and raw copy: its field names, time, key and index.
const rejectedLineBytes = 96

/** A refused event as copied to `rejected/`: an address a server library put in `context.ip` is masked there too. */
function withMaskedIp(raw: unknown, mask = defaultIpMask): unknown {
  const context = (raw as { context?: unknown } | null)?.context
  if (typeof context !== 'object' || context === null || !('ip' in context)) return raw
  const ip =
    typeof context.ip === 'string' ? anonymizeIp(context.ip, mask.ipv4MaskBytes, mask.ipv6PrefixBits) : undefined
  return { ...(raw as object), context: { ...context, ip: ip ?? null } }
}

/**
 * The lines for `rejected/`, within the request's share: `writeAmplification / 2` times its body, and no more than
 * what the kept events' copies of the batch context and header facts (`shared.copiedBytes`) left of the request's whole
 * allowance (4 KiB at least). Past it, one last line counts the refused events not copied, so that `[1, 1, …]`
 * (2,500 refusals in 7.5 KB) cannot write 40 times its size.
 */
export function rejectedLines(
  refused: BatchVerdict['rejected'],
  arrival: Arrival,
  receivedAt: string,
  shared: Pick<SharedCopies, 'copiedBytes' | 'headerBytes' | 'grownBytes'>,
  mask?: IpMask,
  derivedBytes = 0,
): RejectedLine[] {
  const body = arrival.bodyBytes ?? limits.batchBytes
  // The whole allowance, less the kept events' own bytes (at most the body, and what redaction added to them),
  // their copies of the shared parts and what derivation copied into them.
  const left =
    (body + shared.headerBytes) * limits.writeAmplification -
    body -
    shared.grownBytes -
    shared.copiedBytes -
    derivedBytes
  let budget = Math.max(4096, Math.min((body * limits.writeAmplification) / 2, left))
  const lines: RejectedLine[] = []
  for (const [i, { index, reason, raw }] of refused.entries()) {
    const copy = (JSON.stringify(withMaskedIp(raw, mask)) ?? String(raw)).slice(0, rawLimit)
    budget -= copy.length + reason.length + rejectedLineBytes
    if (budget < 0) {
      const left = refused.length - i
      lines.push({
        receivedAt,
        writeKey: arrival.writeKey,
        index,
        reason: `${left} more refused event(s) of this request, from index ${index}, not copied: over its share of rejected/ (first reason: ${reason})`,
        raw: '',
      })
      break
    }
    lines.push({ receivedAt, writeKey: arrival.writeKey, index, reason, raw: copy })
  }
  return lines
}

/**
 * What one event's copy of the batch context writes: the context, and the copies derivation makes of its page (the
 * path and query read from its URL, a page event's properties), counted as a second and third copy of the page.
 */
function contextCopyBytes(context: NonNullable<Arrival['context']>): number {
  const json = JSON.stringify(context)
  const page = typeof context.page === 'object' && context.page !== null ? JSON.stringify(context.page) : ''
  return utf8Length(json) + 2 * utf8Length(page)
}

/**
 * The bytes the kept events' derived copies may take (see `derive/derived-room.ts`): the request's allowance less
 * its events as sent, what redaction added and their copies of the shared parts. Unbounded for an event the
 * collector made, whose size no request sets.
 */
export function derivedRoom(arrival: Arrival, shared: SharedCopies): number {
  const sent = arrival.sentBytes ?? arrival.bodyBytes
  if (sent === undefined) return Number.POSITIVE_INFINITY
  const received = sent + shared.headerBytes
  return received * (limits.writeAmplification - 1) - shared.grownBytes - shared.copiedBytes
}

/**
 * Refuses the events whose copy of what the request shares with all of them — the batch's `context`, and the facts
 * made of its headers (agent, client hints, locale) beyond a browser's usual 512 bytes — would make the request
 * write more than `writeAmplification` times what it sent, beside each line's own fields: a 450 KB context over
 * 1,000 tiny events would otherwise write 450 MB, and an 8 KB agent with the longest client hints over 2,500 tiny
 * events 70 times the request.
 */
export function capContextCopies(verdict: BatchVerdict, arrival: Arrival, grownBytes: number): SharedCopies {
  if (arrival.bodyBytes === undefined || verdict.accepted.length <= 1)
    return { verdict, copiedBytes: 0, headerBytes: 0, grownBytes }
  const contextBytes = arrival.context ? contextCopyBytes(arrival.context) : 0
  const headers = headerFactsBytes(arrival)
  // A browser's usual header facts ride along like a line's fixed fields; only a longer set is the request's to pay.
  const headerExcess = Math.max(0, headers.copied - headerFactsAllowance)
  const shared = contextBytes + headerExcess
  if (shared === 0) return { verdict, copiedBytes: 0, headerBytes: headers.received, grownBytes }
  const received = arrival.bodyBytes + headers.received
  const copies = Math.max(1, Math.floor((received * (limits.writeAmplification - 1) - grownBytes) / shared))
  if (verdict.accepted.length <= copies)
    return { verdict, copiedBytes: verdict.accepted.length * shared, headerBytes: headers.received, grownBytes }
  const what =
    contextBytes >= headerExcess
      ? `the batch's context (${contextBytes} bytes)`
      : `the request's agent and client hints (${headers.copied} bytes as each line carries them)`
  const reason = `${what} copied into each of its events would write more than ${limits.writeAmplification} times the request: send fewer events in this request${contextBytes >= headerExcess ? ', or put the context in each event' : ''}`
  const over = verdict.accepted.slice(copies).map(({ index, event }) => ({ index, reason, raw: event }))
  const rejected = [...verdict.rejected, ...over].sort((a, b) => a.index - b.index)
  return {
    verdict: { accepted: verdict.accepted.slice(0, copies), rejected },
    copiedBytes: copies * shared,
    headerBytes: headers.received,
    grownBytes,
  }
}

/**
 * Redacts the URLs of a request's events, in place, before anything of them is measured or written: the batch's
 * context (measured after), the refused events (their copies in `rejected/` are measured as written) and the
 * accepted ones, whose growth it returns: each line's own fields are counted as sent.
 */
export function redactRequest(verdict: BatchVerdict, arrival: Arrival, redact: RedactUrl): number {
  const redactEvent = (event: unknown) => redactUrls(event, redact) + redactCampaigns(event)
  if (arrival.context) redactEvent({ context: arrival.context })
  for (const { raw } of verdict.rejected) redactEvent(raw)
  let grown = 0
  for (const { event } of verdict.accepted) grown += redactEvent(event)
  return grown
}

/** A verdict after {@link capContextCopies}, and the bytes its kept events' copies of the shared parts take. */
export interface SharedCopies {
  verdict: BatchVerdict
  copiedBytes: number
  /** The bytes of the headers the collector reads, as received: part of what the request sent. */
  headerBytes: number
  /** What redacting the kept events' URLs added to them (at most this many bytes). */
  grownBytes: number
}
