import { Hono, type Context } from 'hono'
import { eventTypes, limits, type EventType } from '@spoor/protocol'
import type { Sites } from '../sites.js'
import { acceptEvents, type Intake } from '../steps/accept-events.js'
import { cors } from '../steps/cors.js'
import { parseBatch } from '../steps/parse-batch.js'
import { readBody } from '../steps/read-body.js'
import { RequestError } from '../steps/request-error.js'
import { writeKeyOf } from '../steps/write-key.js'

export interface SegmentApiOptions {
  sites: Sites
  intake: Intake
  clientIp: (c: Context) => string | undefined
}

const routes = new Set<string>(['batch', ...eventTypes])

/**
 * The Segment HTTP API: `POST /v1/batch` and `/v1/{track,page,identify,group,alias,screen}`. Each event gets a
 * verdict; the answer is 200 with the rejected indexes when any event was kept, 400 when none was.
 */
export function segmentApi({ sites, intake, clientIp }: SegmentApiOptions): Hono {
  const api = new Hono()
  api.use('/v1/*', cors(sites))
  api.post('/v1/:type', async (c) => {
    const route = c.req.param('type')
    if (!routes.has(route)) throw new RequestError(400, `unknown route /v1/${route}: use /v1/batch or /v1/{${eventTypes.join(',')}}`)
    const receivedAt = new Date()
    const parsed = parseBatch(await readBody(c.req.raw, limits.batchBytes), route as EventType | 'batch')
    const writeKey = writeKeyOf(c.req.raw, parsed.writeKey)
    if (!writeKey) throw new RequestError(401, 'missing write key: send it as the HTTP Basic user or as "writeKey" in the body')
    const site = sites.byKey(writeKey)
    if (!site) throw new RequestError(401, 'unknown write key')
    const origin = c.req.header('origin')
    // Pages the collector serves itself (--static) are first-party: their origin is the collector's own.
    if (origin && origin !== new URL(c.req.url).origin && !sites.allows(site, origin)) {
      throw new RequestError(403, `origin ${origin} is not allowed for this write key: add it to the site's "origins"`)
    }
    let result
    try {
      result = await acceptEvents(
        intake,
        parsed.events,
        { receivedAt, writeKey, ip: clientIp(c), sentAt: parsed.sentAt, context: parsed.context },
        route === 'batch' ? undefined : (route as EventType),
      )
    } catch {
      throw new RequestError(503, 'events could not be stored; nothing was kept, retry later', { 'Retry-After': '5' })
    }
    const kept = result.accepted + result.duplicates
    const status = kept === 0 && result.rejected.length > 0 ? 400 : 200
    return c.json({ success: status === 200, ...result }, status)
  })
  return api
}
