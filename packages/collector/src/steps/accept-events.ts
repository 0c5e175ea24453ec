import type { EventLine, EventType, RejectedLine } from '@spoor/protocol'
import { limits, validateBatch, validateEvent, type BatchVerdict } from '@spoor/protocol'
import type { Metrics } from '../metrics.js'
import type { PrivacySettings, SitePrivacy } from '../privacy-settings.js'
import type { EventSink } from '../sink/event-sink.js'
import { enrichLine } from './enrich-line.js'
import type { RecentIds } from './recent-ids.js'
import { clientAddressOf, toEventLine, type Arrival } from './to-event-line.js'
import type { VisitorHasher } from './visitor-hash.js'

/** The parts every route that takes events shares. */
export interface Intake {
  sink: EventSink
  recent: RecentIds
  /** IP masking and each site's GPC and visitor-hash settings (default: mask /16 and /48, GPC minimized). */
  privacy?: PrivacySettings
  hasher?: VisitorHasher
  metrics?: Metrics
}

/** The collector's answer for a batch: how many were kept, and which were refused and why. */
export interface IntakeResult {
  accepted: number
  /** Events already written earlier (a retry's repeat): counted as delivered, not written twice. */
  duplicates: number
  rejected: { index: number; reason: string }[]
  /** Events not written because they carried `Sec-GPC: 1` and the site drops those (only when there were any). */
  optedOut?: number
}

// A refused event is kept for diagnosis, cut to this many characters.
const rawLimit = 4096
const defaultSite: SitePrivacy = { gpc: 'minimize', visitorHash: false }

/** A reason without its numbers and quoted values, so that metrics have few series ("event is N bytes, …"). */
export const reasonLabel = (reason: string) => reason.replace(/\d+/g, 'N').replace(/"[^"]*"/g, '…').slice(0, 80)

/**
 * `validateBatch`, skipping the per-event size measure (a `JSON.stringify` of each event) when the whole body is
 * within the event limit: no event in it can be over.
 */
function judge(events: unknown[], routeType: EventType | undefined, bodyBytes: number | undefined): BatchVerdict {
  if (bodyBytes === undefined || bodyBytes > limits.eventBytes || events.length > limits.batchEvents) return validateBatch(events, routeType)
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
  writeKey: string
  receivedAt: Date
  /** Ids to remember once written: only ids a sender chose can come again (see `recent-ids`). */
  idsToRemember: string[]
}

/**
 * The synchronous half of {@link acceptEvents}: validates each event, skips repeats, masks the IP and adds the bot,
 * GPC and visitor-hash fields of {@link enrichLine}. Nothing is kept yet.
 */
export function prepareEvents(intake: Intake, events: unknown[], arrival: Arrival, routeType?: EventType): PreparedEvents {
  const site = intake.privacy?.site(arrival.writeKey) ?? defaultSite
  const verdict = judge(events, routeType, arrival.bodyBytes)
  const dropAll = arrival.gpc === true && site.gpc === 'drop'
  const inBatch = new Set<string>()
  const fresh: EventLine[] = []
  let duplicates = 0
  const sentIds = new Set<string>()
  for (const { event } of dropAll ? [] : verdict.accepted) {
    const line = toEventLine(event, arrival, intake.privacy?.ipMask)
    if (event.messageId !== undefined) sentIds.add(event.messageId)
    if (intake.recent.has(arrival.writeKey, line.messageId) || inBatch.has(line.messageId)) {
      duplicates++
      continue
    }
    enrichLine(line, {
      site,
      rawIp: clientAddressOf(event, arrival),
      requestUserAgent: arrival.userAgent,
      gpc: arrival.gpc === true,
      ...(intake.hasher ? { hasher: intake.hasher } : {}),
    })
    inBatch.add(line.messageId)
    fresh.push(line)
  }
  const receivedAt = arrival.receivedAt.toISOString()
  // An opted-out visitor's refused events are answered but not kept either: their copy holds the same data.
  const rejected: RejectedLine[] = dropAll
    ? []
    : verdict.rejected.map(({ index, reason, raw }) => ({
        receivedAt,
        writeKey: arrival.writeKey,
        index,
        reason,
        raw: (JSON.stringify(raw) ?? String(raw)).slice(0, rawLimit),
      }))
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
    writeKey: arrival.writeKey,
    receivedAt: arrival.receivedAt,
    // Ids the collector made (pixels, events sent without one) would only push real senders' ids out of the
    // bounded memory.
    idsToRemember: sentIds.size ? fresh.filter((line) => sentIds.has(line.messageId)).map((line) => line.messageId) : [],
  }
}

/**
 * The asynchronous half of {@link acceptEvents}: writes the prepared lines and resolves to the answer only once
 * they are kept; rejects when the sink fails, so that nothing is answered as accepted that is not on disk.
 *
 * It holds nothing of the request while the write waits for its group commit — tens of milliseconds under load,
 * for thousands of requests at once — but the answer and the ids: each object held that long outlives the young
 * generation and makes every garbage collection slower.
 */
export function keepPrepared(intake: Intake, prepared: PreparedEvents): Promise<IntakeResult> {
  const { result, writeKey, idsToRemember } = prepared
  const written = intake.sink.write(prepared.fresh, prepared.receivedAt)
  const kept = prepared.rejected.length ? intake.sink.reject(prepared.rejected, prepared.receivedAt) : undefined
  const counted = () => {
    intake.recent.remember(writeKey, idsToRemember)
    countOutcome(intake.metrics, result)
    return result
  }
  if (!kept) return written.then(counted)
  return Promise.allSettled([written, kept]).then(([wrote, keptRefused]) => {
    // Written events are remembered even when their refused neighbours could not be kept: the sender retries the
    // whole request, and the repeat of what is already on disk is then skipped.
    if (wrote.status === 'fulfilled') intake.recent.remember(writeKey, idsToRemember)
    if (wrote.status === 'rejected') throw wrote.reason
    if (keptRefused.status === 'rejected') throw keptRefused.reason
    countOutcome(intake.metrics, result)
    return result
  })
}

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
export async function acceptEvents(intake: Intake, events: unknown[], arrival: Arrival, routeType?: EventType): Promise<IntakeResult> {
  return keepPrepared(intake, prepareEvents(intake, events, arrival, routeType))
}
