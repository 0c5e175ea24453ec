import type { EventLine } from '@spoor/protocol'

/** How an order was tied to an email click. */
export type ConversionMatch =
  /** The order carries the click id in `context.campaign.spoor_c` (the snippet keeps it for the session). */
  | 'campaign'
  /** The order's own page address carries `spoor_c` (it happened on the page the click landed on). */
  | 'landing_url'
  /**
   * An earlier event of the same device (anonymousId; for an order with only a userId, the device that person was
   * seen on) landed with `spoor_c`; the latest such click wins.
   */
  | 'device'

/** An order and the email click it is attributed to. */
export interface Conversion {
  order: EventLine
  click: EventLine
  matchedBy: ConversionMatch
}

/** How `attributeConversions` ties orders to clicks. */
export interface ConversionOptions {
  /** How long after a click an order still counts for it (default 7 days). */
  windowMs?: number
  /** The event that counts as a conversion (default `Order Completed`). */
  event?: string
}

const clickIdParam = (address: unknown) => {
  if (typeof address !== 'string' || !address.includes('spoor_c=')) return undefined
  const query = address.includes('?') ? address.slice(address.indexOf('?')) : address
  return new URLSearchParams(query.split('#')[0]).get('spoor_c') ?? undefined
}

/**
 * The email click id an event carries, and where: `context.campaign.spoor_c` (set by the snippet for the whole
 * session), else a `spoor_c` parameter in the event's own page address (`context.page.search` or `url`).
 */
export function clickIdOf(event: EventLine): { id: string; from: 'campaign' | 'landing_url' } | undefined {
  const fromCampaign = event.context?.campaign?.spoor_c
  if (typeof fromCampaign === 'string' && fromCampaign) return { id: fromCampaign, from: 'campaign' }
  const page = event.context?.page
  const fromPage = clickIdParam(page?.search) ?? clickIdParam(page?.url)
  return fromPage ? { id: fromPage, from: 'landing_url' } : undefined
}

const time = (event: EventLine) => Date.parse(event.timestamp)

/**
 * Attributes each order (`Order Completed`) to the email click that brought the visitor (`Email Link Clicked`,
 * whose messageId the click route appended as `spoor_c` to the destination): by the click id the order carries
 * itself, else by the latest click its device landed with before the order. An order counts within `windowMs` of
 * its click, and for one click at most. Events are deduplicated by messageId first (delivery is at least once).
 *
 * @example
 * const conversions = attributeConversions(await readEventLines('./data'))
 * // → [{ order, click, matchedBy: 'campaign' }, …]
 */
export function attributeConversions(events: Iterable<EventLine>, options: ConversionOptions = {}): Conversion[] {
  const windowMs = options.windowMs ?? 7 * 86_400_000
  const conversionEvent = options.event ?? 'Order Completed'
  const unique = new Map<string, EventLine>()
  for (const event of events) if (!unique.has(event.messageId)) unique.set(event.messageId, event)

  const clicks = new Map<string, EventLine>()
  for (const event of unique.values()) if (event.event === 'Email Link Clicked') clicks.set(event.messageId, event)

  // Per device, the clicks it landed with, in time order.
  const landings = new Map<string, { at: number; click: EventLine }[]>()
  for (const event of unique.values()) {
    const carried = clickIdOf(event)
    const click = carried && clicks.get(carried.id)
    if (!click || !event.anonymousId) continue
    const list = landings.get(event.anonymousId) ?? []
    list.push({ at: time(event), click })
    landings.set(event.anonymousId, list)
  }
  for (const list of landings.values()) list.sort((a, b) => a.at - b.at)

  // A shop backend's order often knows only the person (userId), not the device: it is the device's that the
  // person was last seen on (an event carrying both ids) before the order, else first seen on after it.
  const personKey = (event: EventLine) => `${event.writeKey}\n${event.userId}`
  const devices = new Map<string, { at: number; anonymousId: string }[]>()
  for (const event of unique.values()) {
    if (!event.userId || !event.anonymousId) continue
    const list = devices.get(personKey(event)) ?? []
    list.push({ at: time(event), anonymousId: event.anonymousId })
    devices.set(personKey(event), list)
  }
  for (const list of devices.values()) list.sort((a, b) => a.at - b.at)
  const deviceOf = (order: EventLine, at: number) => {
    if (order.anonymousId || !order.userId) return order.anonymousId
    const seen = devices.get(personKey(order))
    return (seen?.filter((device) => device.at <= at).at(-1) ?? seen?.[0])?.anonymousId
  }

  const conversions: Conversion[] = []
  for (const order of unique.values()) {
    if (order.type !== 'track' || order.event !== conversionEvent) continue
    const at = time(order)
    const within = (click: EventLine) => at - time(click) <= windowMs
    const carried = clickIdOf(order)
    const own = carried && clicks.get(carried.id)
    if (carried && own && within(own)) {
      conversions.push({ order, click: own, matchedBy: carried.from })
      continue
    }
    const device = deviceOf(order, at)
    const landed = device ? landings.get(device) : undefined
    const latest = landed?.filter((landing) => landing.at <= at).at(-1)
    if (latest && within(latest.click)) conversions.push({ order, click: latest.click, matchedBy: 'device' })
  }
  return conversions
}
