import { randomUUID } from 'node:crypto'
import { type CampaignContext, campaignFrom, type EventLine, utf8Length } from '@spoor/protocol'
import { createBoundedMemory } from './bounded-memory.js'
import { type DerivedRoom, unboundedRoom } from './derived-room.js'

/** What the collector remembers of a visitor (per site): the visit they are in, and what is true of the device. */
interface Visitor {
  id: string
  number: number
  /** Their latest event, ms since the epoch (the line's corrected `timestamp`). */
  at: number
  campaign: CampaignContext | undefined
  campaignJson: string | undefined
  /** Bytes of `campaignJson` as UTF-8: what a copy of the campaign writes. */
  campaignBytes: number
  /** The first campaign ever seen for them, and its bytes as JSON in UTF-8. */
  first: CampaignContext | undefined
  firstBytes: number
  timezone: string | undefined
  /** Their latest clicks within a second, as [time, x, y] triples, to tell rage clicks. */
  clicks?: number[]
}

/** Options of {@link createVisits}. */
export interface VisitOptions {
  /** Inactivity that ends a visit, in ms (default 30 minutes, as Plausible, Umami and GA4 count). */
  timeout?: number
  /** The most bytes of visitors remembered (default 16 MiB); past it the least recently seen are forgotten. */
  budget?: number
  /** Makes a visit's id (default a random UUID). */
  newId?: () => string
}

// A time zone name is short (`America/Argentina/ComodRivadavia` is the longest); a longer one is not remembered.
const maxZone = 64
// A campaign is remembered only up to this size: its values come from a URL anyone can write.
const maxCampaign = 1024
/**
 * Bytes of campaign copies each line may carry beside its request's allowance, like the fields every line gets: an
 * ad click's campaign (a gclid and three utm values, about 200 bytes) and the same as the first campaign fit, so a
 * single `curl` of a few hundred bytes keeps both; only longer campaigns draw on the request's room.
 */
export const campaignShare = 512

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null
const isVisit = (value: unknown): value is { id: string; number: number } =>
  isObject(value) && typeof value.id === 'string' && value.id.length <= 100 && typeof value.number === 'number'
/** A campaign's JSON, when it is small enough to remember. */
const remembered = (campaign: CampaignContext | undefined) => {
  const json = campaign && JSON.stringify(campaign)
  return json && json.length <= maxCampaign ? json : undefined
}

/**
 * Puts a copy of `campaign` (`bytes` of JSON) under `field`. What the line's share of campaign copies (`free`, see
 * `campaignShare`) does not cover is charged to the request's room, and listed so that it can be taken out again.
 *
 * @returns what is left of the line's share
 */
function copyCampaign(
  context: EventLine['context'],
  field: 'campaign' | 'first_campaign',
  campaign: CampaignContext,
  bytes: number,
  room: DerivedRoom,
  free: number,
): number {
  context[field] = campaign
  const cost = bytes + field.length + 4
  if (cost <= free) return free - cost
  if (room.bytes !== Number.POSITIVE_INFINITY) {
    room.bytes -= cost - free
    room.copies ??= []
    room.copies.push({ context, field, bytes: cost - free })
  }
  return 0
}

/** A new visit of a visitor (`before`: what was known of them), its campaign becoming their first if they had none. */
function visit(
  id: string,
  number: number,
  at: number,
  campaign: CampaignContext | undefined,
  campaignJson: string | undefined,
  before: Visitor | undefined,
  zone: unknown,
): Visitor {
  const first = before?.first ?? campaign
  const campaignBytes = campaignJson === undefined ? 0 : utf8Length(campaignJson)
  return {
    id,
    number,
    at,
    campaign,
    campaignJson,
    campaignBytes,
    first,
    firstBytes: before?.first ? before.firstBytes : campaignBytes,
    timezone: before?.timezone ?? (typeof zone === 'string' && zone.length <= maxZone ? zone : undefined),
  }
}

/**
 * An `Element Clicked` event's `rage`: the third (or later) click within a second on one spot (40 px, by page
 * coordinates), timed by the client's clock, which orders one device's clicks.
 */
function markRage(line: EventLine, state: Visitor): void {
  const { x, y } = line.properties
  const time = Date.parse(line.originalTimestamp ?? line.timestamp)
  if (typeof x !== 'number' || typeof y !== 'number' || Number.isNaN(time)) return
  const recent: number[] = []
  const before = state.clicks ?? []
  for (let i = 0; i < before.length; i += 3) {
    if (
      time - before[i]! < 1000 &&
      time >= before[i]! &&
      Math.abs(before[i + 1]! - x) + Math.abs(before[i + 2]! - y) < 40
    )
      recent.push(before[i]!, before[i + 1]!, before[i + 2]!)
  }
  // Two earlier clicks are all it takes to tell: no more are kept.
  state.clicks = [...recent.slice(-6), time, x, y]
  if (line.properties.rage === undefined) line.properties.rage = recent.length >= 6
}

/** The query string of a page: its `search`, or that of its `url` (the pixel records only the referring URL). */
function searchOf(page: unknown): string | undefined {
  if (typeof page !== 'object' || page === null) return undefined
  const { search, url } = page as { search?: unknown; url?: unknown }
  if (typeof search === 'string') return search
  if (typeof url !== 'string') return undefined
  const start = url.indexOf('?')
  return start < 0 ? undefined : url.slice(start, (url.indexOf('#', start) + 1 || url.length + 1) - 1)
}

/**
 * Visits and campaigns, derived where the line is made rather than in the browser: `context.session` {id, number}
 * (a new visit after `timeout` without an event, or when a page arrives with other campaign parameters than the
 * visit's), `context.campaign` (the campaign parameters of the page that started the visit, on each of its events)
 * and `context.first_campaign` (the first seen for the visitor); and `context.timezone`, on the events of a visitor
 * whose browser named it before. The same fields the SDK's `sessions()` plugin writes, with the same rules, so the
 * pixel's and backends' events get them too. A sender's own `context.session` is kept as sent.
 *
 * The visitor is the line's `anonymousId`, or for a backend's event that names only the user, the anonymous id that
 * user was last seen with; a user never seen with one gets no visit here (the report places such events). Memory
 * is bounded by bytes: a visitor forgotten (least recently seen, when more arrive than the budget holds, or after a
 * restart) starts again at visit 1 with no first campaign. Downstream, visits can always be recounted from the
 * visitor and the 30-minute gap, as the report does for events without one.
 */
export function createVisits({ timeout = 18e5, budget = 16 * 2 ** 20, newId = randomUUID }: VisitOptions = {}) {
  const visitors = createBoundedMemory<Visitor>(budget)
  const devices = createBoundedMemory<string>(budget / 8)

  return function deriveVisit(line: EventLine, room: DerivedRoom = unboundedRoom()): void {
    const context = line.context
    const { writeKey, userId, anonymousId } = line
    const userKey = userId === null ? undefined : `${writeKey}\n${userId}`
    if (anonymousId !== null && userKey) devices.set(userKey, anonymousId, anonymousId.length * 2)
    const visitor = anonymousId ?? (userKey === undefined ? undefined : devices.get(userKey))
    if (visitor === undefined) return
    const key = `${writeKey}\n${visitor}`
    const time = Date.parse(line.timestamp)
    let state = visitors.get(key)
    const zone = context.timezone
    if (typeof zone === 'string' && zone.length <= maxZone) {
      if (state) state.timezone = zone
    } else if (state?.timezone !== undefined) context.timezone = state.timezone

    const sent = context.session
    if (sent === undefined) {
      const campaign = campaignFrom(searchOf(context.page) ?? '')
      const json = remembered(campaign)
      if (!state || time - state.at > timeout || (json !== undefined && json !== state.campaignJson)) {
        state = visit(
          newId(),
          (state?.number ?? 0) + 1,
          time,
          json === undefined ? undefined : campaign,
          json,
          state,
          zone,
        )
      }
      context.session = { id: state.id, number: state.number }
      // A campaign too large to remember is still this page's.
      let free = campaignShare
      if (campaign && json === undefined)
        free = copyCampaign(context, 'campaign', campaign, utf8Length(JSON.stringify(campaign)), room, free)
      else if (state.campaign) free = copyCampaign(context, 'campaign', state.campaign, state.campaignBytes, room, free)
      if (state.first) copyCampaign(context, 'first_campaign', state.first, state.firstBytes, room, free)
    } else if (isVisit(sent)) {
      // A sender's own visit (the SDK's sessions() plugin) is kept as sent, and remembered with its campaign: the
      // visitor's events that come without one (a backend's order) join it.
      const campaign = isObject(context.campaign) ? (context.campaign as CampaignContext) : undefined
      const json = remembered(campaign)
      if (state?.id !== sent.id)
        state = visit(sent.id, sent.number, time, json === undefined ? undefined : campaign, json, state, zone)
    } else if (!state) return
    if (line.event === 'Element Clicked') markRage(line, state)
    state.at = Math.max(state.at, time)
    // A parsed campaign takes a few times its JSON's length in memory.
    visitors.set(
      key,
      state,
      256 + 6 * ((state.campaignJson?.length ?? 0) + state.firstBytes) + 2 * (state.timezone?.length ?? 0),
    )
  }
}
