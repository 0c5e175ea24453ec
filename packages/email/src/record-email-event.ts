import { randomUUID } from 'node:crypto'
import type { Context } from 'hono'
import type { Metrics } from '../metrics.js'
import type { Sites } from '../sites.js'
import { acceptEvents, type Intake } from '../steps/accept-events.js'
import type { InFlight } from '../steps/in-flight.js'
import type { Refusals } from '../steps/refusals.js'
import { requestHeader } from '../steps/request-header.js'
import { classify } from './classify.js'
import type { RangeLookup } from './email-config.js'
import type { MessageMemory } from './message-memory.js'
import { version } from '../version.js'

/** What the open and click routes share. */
export interface EmailRouteContext {
  sites: Sites
  intake: Intake
  metrics: Metrics
  clientIp: (c: Context) => string | undefined
  inFlight: InFlight
  /** The config's `email.signingKeys`. */
  keys: readonly string[]
  ranges: RangeLookup
  memory: MessageMemory
  refusals?: Refusals | undefined
}

/** What an open or click names. */
export interface EmailFields {
  writeKey: string
  campaignId: string | null
  emailId: string | null
  recipient: string | null
  link?: { id: string; url: string }
}

/**
 * Classifies an open or click and writes it as an `Email Opened` or `Email Link Clicked` event through the same
 * validation, IP masking, dedupe and durable write as every other event. Resolves to the event's messageId once it
 * is on disk, or undefined when it was not recorded (unknown write key, refused by validation: both counted);
 * rejects when the write failed.
 */
export async function recordEmailEvent(route: EmailRouteContext, c: Context, fields: EmailFields): Promise<string | undefined> {
  const kind = fields.link ? 'click' : 'open'
  if (!route.sites.byKey(fields.writeKey)) {
    route.metrics.increment(`email_${kind}_unknown_key`)
    route.refusals?.unknownKey(fields.writeKey, c.req.path, undefined)
    return undefined
  }
  // Without a recipient, "the same message" would lump every recipient together: timing says nothing then.
  const sighting =
    fields.recipient === null
      ? { secondsSinceFirst: null, burst: false }
      : route.memory.see(JSON.stringify([fields.writeKey, fields.campaignId, fields.emailId, fields.recipient]), fields.link && { linkId: fields.link.id })
  const ip = route.clientIp(c)
  const userAgent = requestHeader(c, 'user-agent')
  const { classification, evidence } = classify({ kind, method: c.req.method, userAgent, ip, sighting }, route.ranges)
  const messageId = randomUUID()
  const event = {
    type: 'track',
    event: fields.link ? 'Email Link Clicked' : 'Email Opened',
    messageId,
    // Nothing is read from the device (no cookie): each request is its own anonymous visitor; the recipient id is
    // what ties a message's events together.
    anonymousId: randomUUID(),
    properties: {
      campaign_id: fields.campaignId,
      email_id: fields.emailId,
      recipient_id: fields.recipient,
      ...(fields.link ? { link_id: fields.link.id, link_url: fields.link.url } : {}),
      classification,
      evidence,
    },
    context: { ...(userAgent ? { userAgent } : {}), library: { name: 'spoor-email', version } },
  }
  // A reader whose mail client sends Global Privacy Control is treated by the site's GPC policy, as on the web.
  const gpc = requestHeader(c, 'sec-gpc') === '1'
  // The id is a fresh UUID: no copy of this event can arrive, so it is neither held nor remembered for dedupe.
  const arrival = { receivedAt: new Date(), writeKey: fields.writeKey, ip, userAgent, gpc, freshIds: true }
  const result = await acceptEvents(route.intake, [event], arrival)
  if (result.rejected.length) {
    route.metrics.increment(`email_${kind}_rejected`)
    return undefined
  }
  // Dropped by a "drop" GPC policy: there is no event for a conversion to point at.
  return result.optedOut ? undefined : messageId
}
