import { randomUUID } from 'node:crypto'
import type { Metrics } from '@spoor/log'
import { gifHeaders, secretNames, transparentGif, version } from '@spoor/protocol'
import { type Context, Hono } from 'hono'
import { ConfigError, type SiteConfig } from '../config.js'
import { clientHintsOf } from '../derive/client-hints-of.js'
import { jsonTextBytes } from '../derive/derived-room.js'
import { agentChars } from '../derive/page-facts.js'
import type { Sites } from '../sites.js'
import { arrivalTime, type Intake, keepPrepared, prepareEvents } from '../steps/accept-events.js'
import { ownLocalPage } from '../steps/cors.js'
import type { InFlight } from '../steps/in-flight.js'
import { recordInBackground } from '../steps/record-in-background.js'
import type { Refusals } from '../steps/refusals.js'
import { requestHeader } from '../steps/request-header.js'

export interface PixelOptions {
  sites: Sites
  intake: Intake
  metrics: Metrics
  clientIp: (c: Context) => string | undefined
  /** The in-flight budget each pending write holds a share of. */
  inFlight: InFlight
  /** Where pixels with an unknown write key or an invalid event are logged (default: nowhere). */
  refusals?: Refusals
}

/**
 * An upper bound on the JSON size of the event a pixel request makes, so that validation need not serialize it to
 * measure it: each of its characters comes from the URL or a header and takes at most 6 bytes in JSON (`\u0000`), a
 * property's quotes, colon and comma at most 4 more than the URL's `&` and `=`, and the fixed fields stay under
 * 512 bytes. For a usual pixel (a few hundred characters) that is a few kilobytes, under the event limit; a pixel
 * whose bound is over the limit is measured.
 */
const sizeBound = (sent: number) => 8 * sent + 512

/**
 * What a pixel request sent that its line can carry, `sent` — its address, agent and `Referer`, a byte a character
 * as Node reads them — less what its event's own fields grow by once written as JSON (a `%00` of the query, three
 * bytes, is the six of `\u0000`): the bytes its derived copies may take are counted from it (see `Arrival.sentBytes`).
 */
function sentBytes(sent: number, userAgent: string, referrer: string, properties: Record<string, string>): number {
  let written = jsonTextBytes(referrer) + jsonTextBytes(userAgent.slice(0, agentChars))
  for (const key in properties) written += jsonTextBytes(key) + jsonTextBytes(properties[key]!)
  return sent - Math.max(0, written - sent)
}

/** Where the pixel is served. */
export const pixelPath = '/p.gif'

const secretName = new RegExp(secretNames, 'i')

const originOf = (url: string | undefined) => {
  if (!url) return undefined
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

// Query parameters with a meaning of their own; every other one becomes an event property.
const reserved = new Set(['k', 'e', 'uid', 'aid'])

/** Refuses a site whose `pixelOrigins` is neither `check` (the default: only its own pages) nor `any`. */
export function checkPixelOrigins(sites: readonly SiteConfig[]): void {
  for (const site of sites) {
    if (site.pixelOrigins !== undefined && site.pixelOrigins !== 'check' && site.pixelOrigins !== 'any') {
      throw new ConfigError(`site ${site.name ?? site.writeKey}: "pixelOrigins" is "check" (the default) or "any"`)
    }
  }
}

/**
 * `GET`/`HEAD /p.gif?k=KEY[&e=Event][&uid=…][&aid=…][&prop=value…]`: records a track event (`e`) or a page view,
 * and always answers the transparent GIF — even when recording failed, because image proxies cache error answers.
 * Failures (a full disk, an overloaded sink) are counted instead. The answer does not wait for the disk (see
 * `recordInBackground`). No cookie is read or set. Not rate limited by address: mail image proxies (Gmail, Apple)
 * fetch for many people from few addresses.
 */
export function pixel({ sites, intake, metrics, clientIp, inFlight, refusals }: PixelOptions): Hono {
  checkPixelOrigins(sites.all)
  const route = new Hono()
  // Made once, out here: a closure made in the handler would share the handler's scope, and so hold the whole
  // request (`c`) until the write is done.
  const countFailure = () => metrics.increment('pixel_record_failures')
  const answered = { route: pixelPath, status: '200' }
  const gifAnswer = { status: 200, headers: gifHeaders }
  route.on(['GET', 'HEAD'], pixelPath, (c) => {
    metrics.increment('requests', 1, answered)
    // A pixel holds its address and headers until written: a kilobyte beyond its URL is a generous share.
    recordInBackground(inFlight, c.req.url.length + 1024, () => record(c), countFailure)
    // The image is a Response of its own rather than `c.body()`'s: Hono would copy the headers into a `Headers`
    // object, which Node's adapter then turns back into a plain one: two copies for every pixel.
    return c.req.method === 'HEAD' ? c.body(null, 200, gifHeaders) : new Response(transparentGif, gifAnswer)
  })

  // Reads everything it needs from the request at once and keeps no reference to it: the request is answered
  // while the write is still pending, and thousands of finished requests held that long would slow garbage collection.
  function record(c: Context): Promise<unknown> {
    const query = new URL(c.req.url).searchParams
    const writeKey = query.get('k')
    const site = writeKey ? sites.byKey(writeKey) : undefined
    if (!writeKey || !site) {
      if (writeKey) refusals?.unknownKey(writeKey, pixelPath, undefined)
      return Promise.resolve(metrics.increment('pixel_unknown_key'))
    }
    const referrer = requestHeader(c, 'referer')
    // A page that shows the image names itself in Origin or Referer (browsers send at least the origin across
    // sites): a page the site does not list may not count for it, unless the site takes pixels from anywhere.
    const from = requestHeader(c, 'origin') ?? originOf(referrer)
    if (from && site.pixelOrigins !== 'any' && !sites.allows(site, from) && !ownLocalPage(from, c.req.url)) {
      refusals?.originNotAllowed(site, from)
      return Promise.resolve(metrics.increment('pixel_refused_origin'))
    }
    const properties: Record<string, string> = {}
    const siteNames = intake.privacy?.site(writeKey).redactNames
    query.forEach((value, key) => {
      // The rule for URLs' parameters, here for the pixel's own: secrets and emails are not kept. A name ending in _id
      // names a thing, not a secret (email_id, campaign_id): only an @ in its value redacts it. A name the site's
      // config lists is redacted as it is in URLs.
      if (!reserved.has(key))
        properties[key] =
          (secretName.test(key) && !key.endsWith('_id')) || siteNames?.test(key) || value.includes('@')
            ? 'redacted'
            : value
    })
    const name = query.get('e')
    const userId = query.get('uid') ?? undefined
    const userAgent = requestHeader(c, 'user-agent')
    const event = {
      type: name ? 'track' : 'page',
      event: name ?? undefined,
      userId,
      // Without an id from the link, each fetch is its own anonymous visitor: nothing is read from the device.
      anonymousId: query.get('aid') ?? (userId ? undefined : randomUUID()),
      properties,
      context: {
        userAgent: userAgent?.slice(0, agentChars),
        library: { name: 'spoor-pixel', version },
        // Redacted with the site's names as every event's URLs are (`redactRequest`, `steps/write-allowance.ts`).
        ...(referrer ? { page: { url: referrer } } : {}),
      },
    }
    // The request's address, agent and Referer: what it sent that its line can carry.
    const sent = c.req.url.length + (userAgent?.length ?? 0) + (referrer?.length ?? 0)
    const arrival = {
      receivedAt: arrivalTime(intake),
      writeKey,
      ip: clientIp(c),
      gpc: requestHeader(c, 'sec-gpc') === '1',
      clientHints: clientHintsOf(c),
      bodyBytes: sizeBound(sent),
      sentBytes: sentBytes(sent, userAgent ?? '', referrer ?? '', properties),
    }
    const prepared = prepareEvents(intake, [event], arrival)
    if (prepared.result.rejected.length) {
      metrics.increment('pixel_rejected')
      refusals?.invalidEvents(site, prepared.result.rejected)
    }
    return keepPrepared(intake, prepared)
  }

  return route
}
