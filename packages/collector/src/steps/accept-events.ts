import type { Metrics } from '@spoor/log'
import {
  type BatchVerdict,
  type EventLine,
  type EventSink,
  type EventType,
  limits,
  type RejectedLine,
  validateBatch,
  validateEvent,
} from '@spoor/protocol'
import type { DeriveLine } from '../derive/derive-line.js'
import { type DerivedRoom, derivedBytes, trimCampaignCopies } from '../derive/derived-room.js'
import { defaultSitePrivacy, type PrivacySettings } from '../privacy-settings.js'
import { type EnrichInput, enrichLine } from './enrich-line.js'
import type { RecentIds, Reservation } from './recent-ids.js'
import { type Arrival, clientAddressOf, createLineMaker } from './to-event-line.js'
import type { VisitorHasher } from './visitor-hash.js'
import { capContextCopies, derivedRoom, redactRequest, rejectedLines } from './write-allowance.js'

/** The parts every route that takes events shares. */
export interface Intake {
  sink: EventSink
  recent: RecentIds
  /** IP masking and each site's GPC and visitor-hash settings (default: mask /16 and /48, GPC minimized). */
  privacy?: PrivacySettings
  hasher?: VisitorHasher
  metrics?: Metrics
  /** What the collector derives of each line from what the browser sent (visits, campaigns, client hints). */
  derive?: DeriveLine
  /** The clock that stamps an arrival's `receivedAt` (default: the system clock). */
  now?: () => Date
}

/** The moment an event arrives at the intake, by its clock. */
export const arrivalTime = (intake: Intake): Date => (intake.now ? intake.now() : new Date())

/** The collector's answer for a batch: how many were kept, and which were refused and why. */
export interface IntakeResult {
  accepted: number
  /**
   * Events written earlier, or being written for a copy of the request that arrived first (a retry's repeat):
   * counted as delivered, not written twice.
   */
  duplicates: number
  rejected: { index: number; reason: string }[]
  /** Events not written because they carried `Sec-GPC: 1` and the site drops those (only when there were any). */
  optedOut?: number
}

/** A reason without its numbers and quoted values, so that metrics have few series ("event is N bytes, …"). */
export const reasonLabel = (reason: string) =>
  reason
    .replace(/\d+/g, 'N')
    .replace(/"[^"]*"/g, '…')
    .slice(0, 80)

/**
 * `validateBatch`, skipping the per-event size measure (a `JSON.stringify` of each event) when the whole body is
 * within the event limit: no event in it can be over.
 */
function judge(events: unknown[], routeType: EventType | undefined, bodyBytes: number | undefined): BatchVerdict {
  if (bodyBytes === undefined || bodyBytes > limits.eventBytes || events.length > limits.batchEvents)
    return validateBatch(events, routeType)
  const verdict: BatchVerdict = { accepted: [], rejected: [] }
  events.forEach((raw, index) => {
    const result = validateEvent(raw, routeType, bodyBytes)
    if (result.ok) verdict.accepted.push({ index, event: result.event })
    else verdict.rejected.push({ index, reason: result.reason, raw })
  })
  return verdict
}

/** A request's events judged and shaped into lines, not yet kept: see {@link prepareEvents}. */
export interface PreparedEvents {
  /** Lines for `events/`. */
  fresh: EventLine[]
  /** Lines for `rejected/`. */
  rejected: RejectedLine[]
  /** The answer to give once the lines are kept. */
  result: IntakeResult
  receivedAt: Date
  /** The sender's ids of `fresh`, held until their write settles (see `recent-ids`). */
  reservation?: Reservation | undefined
  /** Writes under way that hold some of this request's ids: their outcome is this request's too. */
  waitsFor?: Reservation[] | undefined
}

/**
 * The synchronous half of {@link acceptEvents}: validates each event, skips repeats, masks the IP and adds the bot,
 * GPC and visitor-hash fields of {@link enrichLine}. Nothing is kept yet, but the sender's ids of the fresh lines
 * are held: pass the result to {@link keepPrepared} at once, which gives them back. The events become the lines'
 * parts (see `createLineMaker`): they are the caller's to give away.
 */
export function prepareEvents(
  intake: Intake,
  events: unknown[],
  arrival: Arrival,
  routeType?: EventType,
): PreparedEvents {
  const site = intake.privacy?.site(arrival.writeKey) ?? defaultSitePrivacy
  const judged = judge(events, routeType, arrival.bodyBytes)
  const shared = capContextCopies(judged, arrival, redactRequest(judged, arrival, site.redactUrl))
  const { verdict } = shared
  const dropAll = arrival.gpc === true && site.gpc === 'drop'
  const lineOf = createLineMaker(arrival, intake.privacy?.ipMask, () => intake.metrics?.increment('timestamps_clamped'))
  // The same for every event of the request, but for a server-side call's address (each event may name its own).
  const enrich: EnrichInput = {
    site,
    rawIp: arrival.ip,
    requestUserAgent: arrival.userAgent,
    gpc: arrival.gpc === true,
    ...(intake.hasher ? { hasher: intake.hasher } : {}),
  }
  const room: DerivedRoom = { bytes: derivedRoom(arrival, shared) }
  const roomAtStart = room.bytes
  // Ids the collector made, or a sender's when nothing is remembered: repeats within the batch are found here.
  let inBatch: Set<string> | undefined
  const fresh: EventLine[] = []
  let duplicates = 0
  let reservation: Reservation | undefined
  let waitsFor: Set<Reservation> | undefined
  for (const { event } of dropAll ? [] : verdict.accepted) {
    // Read before the line is made: making it masks the event's own context.ip in place.
    const rawIp = arrival.serverCall ? clientAddressOf(event, arrival) : arrival.ip
    const line = lineOf(event)
    // Only ids a sender chose can come again: those the collector made would only push real senders' ids out of
    // the bounded memory.
    if (event.messageId !== undefined && !arrival.freshIds) {
      reservation ??= { keys: [] }
      const claimed = intake.recent.claim(arrival.writeKey, line.messageId, reservation)
      if (claimed !== undefined) {
        // A repeat within this batch (held by its own reservation); written already; or being written by a copy
        // that arrived first, whose write's outcome is this one's.
        if (claimed !== 'written' && claimed !== reservation) {
          waitsFor ??= new Set()
          waitsFor.add(claimed)
        }
        duplicates++
        continue
      }
    } else if (verdict.accepted.length > 1) {
      inBatch ??= new Set()
      if (inBatch.has(line.messageId)) {
        duplicates++
        continue
      }
      inBatch.add(line.messageId)
    }
    // Derived fields first: GPC minimization (in enrichLine) must see the campaign the visit gets.
    intake.derive?.(line, arrival, room)
    enrich.rawIp = rawIp
    enrichLine(line, enrich)
    fresh.push(line)
  }
  trimCampaignCopies(room)
  const receivedAt = arrival.receivedAt.toISOString()
  // An opted-out visitor's refused events are answered but not kept either: their copy holds the same data.
  const rejected: RejectedLine[] = dropAll
    ? []
    : rejectedLines(
        verdict.rejected,
        arrival,
        receivedAt,
        shared,
        intake.privacy?.ipMask,
        derivedBytes(roomAtStart, room),
      )
  const result: IntakeResult = {
    accepted: fresh.length,
    duplicates,
    rejected: verdict.rejected.map(({ index, reason }) => ({ index, reason })),
  }
  if (dropAll && verdict.accepted.length) result.optedOut = verdict.accepted.length
  return {
    fresh,
    rejected,
    result,
    receivedAt: arrival.receivedAt,
    reservation: reservation?.keys.length ? reservation : undefined,
    waitsFor: waitsFor && [...waitsFor],
  }
}

/**
 * The asynchronous half of {@link acceptEvents}: writes the prepared lines and resolves to the answer only once
 * they are kept; rejects when the sink fails, so that nothing is answered as accepted that is not on disk. Events
 * a copy's write holds are answered as duplicates once that write is kept; when it fails, so does this answer (the
 * sender retries, as the copy's sender does, and the ids are free again by then).
 *
 * It holds nothing of the request while the write waits for its group commit — tens of milliseconds under load,
 * for thousands of requests at once — but the answer and the reservation: each object held that long outlives the
 * young generation and makes every garbage collection slower.
 */
export function keepPrepared(intake: Intake, prepared: PreparedEvents): Promise<IntakeResult> {
  const { result, reservation, waitsFor } = prepared
  const { recent, metrics } = intake
  let written: Promise<void>
  try {
    written = intake.sink.write(prepared.fresh, prepared.receivedAt)
  } catch (error) {
    // A sink that throws rather than rejects must still give the held ids back.
    written = Promise.reject(error)
  }
  if (reservation) reservation.outcome = written
  const kept = prepared.rejected.length ? intake.sink.reject(prepared.rejected, prepared.receivedAt) : undefined
  if (!kept && !waitsFor) {
    return written.then(
      () => {
        if (reservation) recent.settle(reservation, true)
        countOutcome(metrics, result)
        return result
      },
      (error: unknown) => {
        if (reservation) recent.settle(reservation, false)
        throw error
      },
    )
  }
  // One waiter for the copies' writes, however many ids they hold (one write, nearly always).
  const theirs = waitsFor && (waitsFor.length === 1 ? outcomeOf(waitsFor[0]!) : Promise.all(waitsFor.map(outcomeOf)))
  // The ids are settled as soon as their own write is, not when the answer is: written events are remembered even
  // when the rest of the answer fails (the sender retries the whole request, and the repeat of what is already on
  // disk is then skipped), and a failed write frees its ids at once.
  const own = reservation
    ? written.then(
        () => recent.settle(reservation, true),
        (error: unknown) => {
          recent.settle(reservation, false)
          throw error
        },
      )
    : written
  return Promise.allSettled([own, kept, theirs]).then(([wrote, keptRefused, copies]) => {
    if (wrote.status === 'rejected') throw wrote.reason
    if (keptRefused.status === 'rejected') throw keptRefused.reason
    if (copies.status === 'rejected') throw copies.reason
    countOutcome(metrics, result)
    return result
  })
}

// A write not started yet would otherwise count as kept: its events would be answered as duplicates of nothing.
const outcomeOf = (reservation: Reservation) =>
  reservation.outcome ?? Promise.reject(new Error('events were prepared but not handed to keepPrepared at once'))

function countOutcome(metrics: Metrics | undefined, result: IntakeResult): void {
  if (!metrics) return
  if (result.accepted) metrics.increment('events_accepted', result.accepted)
  if (result.duplicates) metrics.increment('events_duplicate', result.duplicates)
  for (const { reason } of result.rejected) metrics.increment('events_rejected', 1, { reason: reasonLabel(reason) })
  if (result.optedOut) metrics.increment('events_opted_out', result.optedOut)
}

/**
 * Validates each event, writes the valid ones and, with their reasons, the invalid ones, and resolves only once
 * both are kept. Throws when the sink fails: nothing may be answered as accepted that is not on disk. Each line
 * gets its IP masked, and the bot, GPC and visitor-hash fields of {@link enrichLine}.
 */
export async function acceptEvents(
  intake: Intake,
  events: unknown[],
  arrival: Arrival,
  routeType?: EventType,
): Promise<IntakeResult> {
  return keepPrepared(intake, prepareEvents(intake, events, arrival, routeType))
}
