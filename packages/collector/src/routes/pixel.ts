import { randomUUID } from 'node:crypto'
import { Hono, type Context } from 'hono'
import type { Metrics } from '../metrics.js'
import type { Sites } from '../sites.js'
import { acceptEvents, type Intake } from '../steps/accept-events.js'
import type { InFlight } from '../steps/in-flight.js'
import { recordInBackground } from '../steps/record-in-background.js'
import { gifHeaders, transparentGif } from '../gif.js'
import { version } from '../version.js'

export interface PixelOptions {
  sites: Sites
  intake: Intake
  metrics: Metrics
  clientIp: (c: Context) => string | undefined
  /** The in-flight budget each pending write holds a share of. */
  inFlight: InFlight
}

// Query parameters with a meaning of their own; every other one becomes an event property.
const reserved = new Set(['k', 'e', 'uid', 'aid'])

/**
 * `GET`/`HEAD /p.gif?k=KEY[&e=Event][&uid=…][&aid=…][&prop=value…]`: records a track event (`e`) or a page view,
 * and always answers the transparent GIF — even when recording failed, because image proxies cache error answers.
 * Failures (a full disk, an overloaded sink) are counted instead. The answer does not wait for the disk (see
 * `recordInBackground`). No cookie is read or set. Not rate limited by address: mail image proxies (Gmail, Apple)
 * fetch for many people from few addresses.
 */
export function pixel({ sites, intake, metrics, clientIp, inFlight }: PixelOptions): Hono {
  const route = new Hono()
  route.on(['GET', 'HEAD'], '/p.gif', (c) => {
    // A pixel holds its address and headers until written: a kilobyte beyond its URL is a generous share.
    recordInBackground(inFlight, c.req.url.length + 1024, () => record(c), () => metrics.increment('pixel_record_failures'))
    return c.req.method === 'HEAD' ? c.body(null, 200, gifHeaders) : c.body(transparentGif, 200, gifHeaders)
  })

  // Everything it reads from the request, it reads before its first await: the request is answered by then.
  async function record(c: Context) {
    const query = new URL(c.req.url).searchParams
    const writeKey = query.get('k')
    if (!writeKey || !sites.byKey(writeKey)) return metrics.increment('pixel_unknown_key')
    const properties: Record<string, string> = {}
    query.forEach((value, key) => {
      if (!reserved.has(key)) properties[key] = value
    })
    const name = query.get('e')
    const userId = query.get('uid') ?? undefined
    const referrer = c.req.header('referer')
    const event = {
      type: name ? 'track' : 'page',
      event: name ?? undefined,
      userId,
      // Without an id from the link, each fetch is its own anonymous visitor: nothing is read from the device.
      anonymousId: query.get('aid') ?? (userId ? undefined : randomUUID()),
      properties,
      context: {
        userAgent: c.req.header('user-agent'),
        library: { name: 'spoor-pixel', version },
        ...(referrer ? { page: { url: referrer } } : {}),
      },
    }
    const result = await acceptEvents(intake, [event], {
      receivedAt: new Date(),
      writeKey,
      ip: clientIp(c),
      gpc: c.req.header('sec-gpc') === '1',
    })
    if (result.rejected.length) metrics.increment('pixel_rejected')
  }

  return route
}
