import { type EventType, eventTypes, limits, SinkUnavailableError } from '@spoor/protocol'
import { type Context, Hono } from 'hono'
import { clientHintsOf } from '../derive/client-hints-of.js'
import type { Sites } from '../sites.js'
import { acceptEvents, arrivalTime, type Intake } from '../steps/accept-events.js'
import { type Admission, admit, admitKey } from '../steps/admission.js'
import { checkOrigin, cors } from '../steps/cors.js'
import { createInFlight } from '../steps/in-flight.js'
import { parseBatch } from '../steps/parse-batch.js'
import { readBody } from '../steps/read-body.js'
import type { Refusals } from '../steps/refusals.js'
import { RequestError } from '../steps/request-error.js'
import { type NodeEnv, nodeRequestOf, requestHeader } from '../steps/request-header.js'
import { isServerCall } from '../steps/server-call.js'
import { siteOfRequest } from '../steps/write-key.js'

export interface SegmentApiOptions {
  sites: Sites
  intake: Intake
  clientIp: (c: Context) => string | undefined
  /** Sink health, in-flight cap, rate limits (default: a 6 MiB in-flight cap, no rate limits). */
  admission?: Admission
  /** Where refusals of a key or an origin are logged (default: nowhere). */
  refusals?: Refusals
}

/**
 * What each path of `/v1/` takes: `batch` and the event types, as Segment's HTTP API documents them; `import`, its
 * route for historical imports (a batch); and the one-letter paths analytics.js 2.0 (`@segment/analytics-next`)
 * posts to, `/v1/t`, `/v1/p`… and `/v1/b` in its batching mode. An analytics.js page pointed at this collector drops
 * every event a 4xx answers, so each of its paths is the route it stands for.
 */
const routes = new Map<string, EventType | 'batch'>([
  ['batch', 'batch'],
  ['import', 'batch'],
  ['b', 'batch'],
  ...eventTypes.flatMap((type): [string, EventType][] => [
    [type, type],
    [type[0]!, type],
  ]),
])

/**
 * The Segment HTTP API: `POST /v1/batch` and `/v1/{track,page,identify,group,alias,screen}`. Each event gets a
 * verdict; the answer is 200 with the rejected indexes when any event was kept, 400 when none was. Before the
 * body is read: 503 when the sink cannot write or too many bytes are in flight, 429 over a rate limit.
 */
export function segmentApi({
  sites,
  intake,
  clientIp,
  admission = { inFlight: createInFlight() },
  refusals,
}: SegmentApiOptions): Hono<NodeEnv> {
  /**
   * Parses a request's body and starts keeping its events: everything up to the durable write, which runs on. Not
   * async, so that the parsed events (and the lines made of them, serialised to bytes before this returns) end with
   * this call: a handler suspended on the write holds the registers of everything it computed, and under load a
   * request's parsed form held for the write's tens of milliseconds was what each young collection had to copy.
   */
  const startAccepting = (
    c: Context<NodeEnv>,
    text: string,
    route: EventType | 'batch',
    receivedAt: Date,
    ip: string | undefined,
  ) => {
    const parsed = parseBatch(text, route)
    const site = siteOfRequest(c, parsed.writeKey, sites, refusals)
    const writeKey = site.writeKey
    checkOrigin(c, sites, site, refusals)
    admitKey(admission, writeKey)
    const serverCall = isServerCall(requestHeader(c, 'authorization'), requestHeader(c, 'origin'), writeKey)
    const outcome = acceptEvents(
      intake,
      parsed.events,
      {
        receivedAt,
        writeKey,
        ip,
        sentAt: parsed.sentAt,
        context: parsed.context,
        bodyBytes: Buffer.byteLength(text),
        // A server library's own agent names the library, not the visitor: never judged (see server-call.ts).
        userAgent: serverCall ? undefined : requestHeader(c, 'user-agent'),
        serverCall,
        clientHints: serverCall ? undefined : clientHintsOf(c),
        gpc: requestHeader(c, 'sec-gpc') === '1',
      },
      route === 'batch' ? undefined : route,
    )
    return { site, outcome }
  }

  const receive = async (c: Context<NodeEnv>) => {
    const path = c.req.param('type') ?? ''
    const route = routes.get(path)
    if (!route) throw new RequestError(400, `unknown route /v1/${path}: use /v1/batch or /v1/{${eventTypes.join(',')}}`)
    const receivedAt = arrivalTime(intake)
    const ip = clientIp(c)
    admit(admission, ip)
    const lease = admission.inFlight.lease()
    try {
      // The Node request is read directly only while nothing else has started on its body (a middleware that
      // read c.req.raw has turned it into a web stream already).
      const node = nodeRequestOf(c)
      const incoming = node && node.readableFlowing === null && !node.readableEnded ? node : undefined
      let text: string | undefined = await readBody(
        c.req.raw,
        {
          maxBytes: limits.batchBytes,
          lease,
          ...(admission.bodyTimeoutMs ? { timeoutMs: admission.bodyTimeoutMs } : {}),
        },
        incoming,
      )
      const { site, outcome } = startAccepting(c, text, route, receivedAt, ip)
      // The body's text and its parsed events are not this frame's to keep while the write is under way: the lines
      // are bytes by now, and whatever a suspended async function holds lives until it resumes (see startAccepting).
      text = undefined
      let result: Awaited<typeof outcome>
      try {
        result = await outcome
      } catch (error) {
        const retryAfter = error instanceof SinkUnavailableError ? error.retryAfter : 5
        throw new RequestError(503, 'events could not be stored; nothing was kept, retry later', {
          'Retry-After': String(retryAfter),
        })
      }
      if (result.rejected.length) refusals?.invalidEvents(site, result.rejected)
      const kept = result.accepted + result.duplicates + (result.optedOut ?? 0)
      const status = kept === 0 && result.rejected.length > 0 ? 400 : 200
      return c.json({ success: status === 200, ...result }, status)
    } finally {
      lease.release()
    }
  }

  const api = new Hono<NodeEnv>()
  api.use('/v1/*', cors(sites, refusals))
  // RudderStack's browser SDK, with its beacon queue, sends each batch by sendBeacon to /beacon/v1/batch?writeKey=…
  // (a beacon sets no header); a beacon is never retried, so a path not taken lost every event it held.
  api.use('/beacon/v1/*', cors(sites, refusals))
  api.post('/beacon/v1/:type', (c) => receive(c))
  api.post('/v1/:type', (c) => receive(c))
  return api
}
