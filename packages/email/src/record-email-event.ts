import { randomUUID } from 'node:crypto'
import type { LogFields, Metrics } from '@spoor/log'
import { limits, type RecordEvent, type RecordInBackground, version } from '@spoor/protocol'
import type { Context } from 'hono'
import { classify } from './classify.js'
import type { RangeLookup } from './email-config.js'
import type { MessageMemory } from './message-memory.js'

/** What the open and click routes share. */
export interface EmailRouteContext {
  /** The collector's intake for an event a route makes. */
  record: RecordEvent
  /** The collector's way of recording without holding up the answer (the open pixel's). */
  recordInBackground: RecordInBackground
  metrics: Metrics
  clientIp: (c: Context) => string | undefined
  /** Logs a warning for the operator, once per key and rate limited. */
  warn: (key: string, msg: string, fields?: LogFields) => void
  /** The config's `email.signingKeys`. */
  keys: readonly string[]
  /** The config's `email.unsignedOpenCampaigns`: campaigns whose pixels, sent before pixels were signed, count. */
  unsignedOpenCampaigns: ReadonlySet<string>
  ranges: RangeLookup
  memory: MessageMemory
  /**
   * Whether a destination is a page of the site, where its script can read `spoor_c`: one of its origins, or the
   * collector's own (`requestUrl`'s: a site the collector serves with `--static`).
   */
  ownPage: (writeKey: string, destination: string, requestUrl: string) => boolean
}

/** What an open or click names. */
export interface EmailFields {
  writeKey: string
  campaignId: string | null
  emailId: string | null
  recipient: string | null
  /** The subject line the open pixel names. */
  subject?: string | null
  /**
   * The link clicked: its id, the URL recorded as `link_url`, and its destination as the email's HTML wrote it
   * (merge tags unfilled).
   */
  link?: { id: string; url: string; template: string }
}

/**
 * Classifies an open or click and writes it as an `Email Opened` or `Email Link Clicked` event through the same
 * validation, IP masking, dedupe and durable write as every other event. Resolves to the event's messageId once it
 * is on disk, or undefined when it was not recorded (unknown write key, refused by validation: both counted; or
 * dropped by the site's GPC policy);
 * rejects when the write failed.
 */
export async function recordEmailEvent(
  route: EmailRouteContext,
  c: Context,
  fields: EmailFields,
): Promise<string | undefined> {
  const kind = fields.link ? 'click' : 'open'
  // Without a recipient, "the same message" would lump every recipient together: timing says nothing then.
  const sighting =
    fields.recipient === null
      ? { secondsSinceFirst: null, burst: false }
      : route.memory.see(
          JSON.stringify([fields.writeKey, fields.campaignId, fields.emailId, fields.recipient]),
          fields.link && { linkId: fields.link.id, head: c.req.method === 'HEAD' },
        )
  const ip = route.clientIp(c)
  const userAgent = c.req.header('user-agent')
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
      ...(fields.subject ? { email_subject: fields.subject } : {}),
      ...(fields.link
        ? { link_id: fields.link.id, link_url: fields.link.url, link_template: fields.link.template }
        : {}),
      classification,
      evidence,
    },
    // Cut as the collector cuts every request's agent: the line carries what identifies a browser, not a payload.
    context: {
      ...(userAgent ? { userAgent: userAgent.slice(0, limits.userAgentChars) } : {}),
      library: { name: 'spoor-email', version },
    },
  }
  // A reader whose mail client sends Global Privacy Control is treated by the site's GPC policy, as on the web.
  const gpc = c.req.header('sec-gpc') === '1'
  const outcome = await route.record({ writeKey: fields.writeKey, event, ip, userAgent, gpc, path: c.req.path })
  if (outcome === 'unknown key') route.metrics.increment(`email_${kind}_unknown_key`)
  if (outcome === 'rejected') route.metrics.increment(`email_${kind}_rejected`)
  // Not written (dropped by a "drop" GPC policy, or refused): there is no event for a conversion to point at.
  return outcome === 'written' ? messageId : undefined
}
