import { serveStatic } from '@hono/node-server/serve-static'
import { createLogger, createMetrics, type Logger, type Metrics } from '@spoor/log'
import type { EventSink, RecordEvent, RecordInBackground, SinkHealth } from '@spoor/protocol'
import { type Context, Hono } from 'hono'
import { matchedRoutes } from 'hono/route'
import { configSource, type SpoorConfig } from './config.js'
import { createDeriveLine } from './derive/derive-line.js'
import { readPrivacySettings } from './privacy-settings.js'
import { health } from './routes/health.js'
import { metricsRoute } from './routes/metrics.js'
import { pixel, pixelPath } from './routes/pixel.js'
import { segmentApi } from './routes/segment-api.js'
import { defaultSnippetPath, snippet } from './routes/snippet.js'
import { createSites } from './sites.js'
import { socketIp } from './steps/client-ip.js'
import { createHeapPressure, type HeapPressure } from './steps/heap-pressure.js'
import { createInFlight } from './steps/in-flight.js'
import { createRateLimiter, type Rate } from './steps/rate-limit.js'
import { createRecentIds } from './steps/recent-ids.js'
import { recordInBackground } from './steps/record-in-background.js'
import { recordMadeEvent } from './steps/record-made-event.js'
import { createRefusals } from './steps/refusals.js'
import { RequestError } from './steps/request-error.js'
import { createVisitorHasher } from './steps/visitor-hash.js'
import { createWarnOnce, type WarnOnce } from './warn-once.js'

// Paths the request-counting middleware is not put on: the pixel counts its own requests, and a pattern that
// matches every path would match the pixel too.
const notCountedHere = new Set([pixelPath, '*', '/*'])

// Whether any segment of a path, as sent or percent-decoded, starts with a dot.
const hasDotSegment = (path: string) => {
  let decoded = path
  try {
    decoded = decodeURIComponent(path)
  } catch {}
  return /(^|[/\\])\./.test(path) || /(^|[/\\])\./.test(decoded)
}

export interface AppOptions {
  config: SpoorConfig
  /** Where events go; see `createNdjsonSink`. */
  sink: EventSink
  /** The built snippet served at `/spoor.js` (default: the `@spoor/snippet` package's). */
  snippetPath?: string
  /** A folder of static files served at `/` (the example shop, a site under test). */
  staticDir?: string
  /** The client's address for a request (default: the socket's peer; see `clientIpResolver` for proxies). Only its masked form is written. */
  clientIp?: (c: Context) => string | undefined
  metrics?: Metrics
  /** Structured JSON logs (default: stdout and stderr). */
  log?: Logger
  /** True once shutting down: `/readyz` answers 503. */
  draining?: () => boolean
  /** Request bytes held at once across requests; past it, 503 + `Retry-After` (default 6 MiB). */
  maxInFlightBytes?: number
  /** What keeps the heap tight while requests are refused for that cap (default: V8's setting, `heap-pressure.ts`). */
  heapPressure?: HeapPressure
  /** Token bucket per client address on the event API (default: none). */
  ratePerIp?: Rate
  /** Token bucket per write key on the event API (default: none). */
  ratePerKey?: Rate
  /** Time allowed to receive a request body, in ms; past it, 408 (default 10 s). */
  bodyTimeoutMs?: number
  /** The clock that stamps `receivedAt` and picks the visitor hash's day (default: the system clock). */
  now?: () => Date
  /**
   * More routes served beside the collector's own and counted like them: an app (the dashboard), or a function that
   * makes one from the collector's {@link AppServices} (the email routes).
   */
  routes?: (Hono | ((services: AppServices) => Hono))[]
}

/** What the collector lends the routes mounted beside its own: its intake, in-flight budget, metrics and addresses. */
export interface AppServices {
  /** Writes an event the route made itself through the intake (validation, masking, GPC, the durable write). */
  record: RecordEvent
  /** Records without holding up the answer, within the in-flight budget. */
  recordInBackground: RecordInBackground
  metrics: Metrics
  /** The client's address for a request, as the collector resolves it. */
  clientIp: (c: Context) => string | undefined
  /**
   * Logs a warning a request caused, for the operator to act on: once per key and rate limited (see
   * `createWarnOnce`), since requests choose what it says.
   */
  warn: WarnOnce
}

/**
 * Creates the collector as a Hono app: the Segment HTTP API, the tracking pixel, the snippet, health, readiness
 * and metrics routes, and any `routes` given (the CLI mounts the email routes and the dashboard this way). Serve it with `startServer`, or mount it in an app of your own.
 *
 * @example
 * const sink = createNdjsonSink({ dataDir: './data' })
 * const app = createApp({ config: await loadConfig('spoor.config.json'), sink })
 */
export function createApp(options: AppOptions): Hono {
  const sites = createSites(options.config)
  const metrics = options.metrics ?? createMetrics()
  const log = options.log ?? createLogger()
  const privacy = readPrivacySettings(options.config)
  const refusals = createRefusals(log, configSource(options.config))
  const recent = createRecentIds(500_000, options.config.sites.length)
  // Derived fields (visits, campaigns, time zone, client hints): what the browser no longer computes.
  const intake = {
    sink: options.sink,
    recent,
    privacy,
    hasher: createVisitorHasher(options.now),
    ...(options.now ? { now: options.now } : {}),
    metrics,
    derive: createDeriveLine(),
  }
  const clientIp = options.clientIp ?? socketIp
  const sinkHealth = (): SinkHealth => options.sink.health()
  const inFlight = createInFlight(options.maxInFlightBytes, options.heapPressure ?? createHeapPressure())
  const admission = {
    inFlight,
    metrics,
    health: sinkHealth,
    ...(options.ratePerIp ? { perIp: createRateLimiter(options.ratePerIp) } : {}),
    ...(options.ratePerKey ? { perKey: createRateLimiter(options.ratePerKey) } : {}),
    ...(options.bodyTimeoutMs ? { bodyTimeoutMs: options.bodyTimeoutMs } : {}),
  }
  // Clients a stranger can invent without end (addresses, keys): each limiter keeps a bounded number of buckets.
  for (const [by, limiter] of [
    ['ip', admission.perIp],
    ['key', admission.perKey],
  ] as const) {
    if (!limiter) continue
    metrics.gauge(
      `rate_limit_${by}_buckets`,
      `Rate-limit buckets held now, one per ${by === 'ip' ? 'client address (IPv6 by /64)' : 'write key'}.`,
      () => limiter.size,
    )
    metrics.gauge(
      `rate_limit_${by}_buckets_limit`,
      'The most rate-limit buckets held; the least recently used are forgotten first.',
      () => limiter.capacity,
    )
  }
  metrics.gauge(
    'refusals_remembered',
    'Refusals (per site and reason) remembered as logged, so that each is logged once an hour.',
    () => refusals.remembered().size,
  )
  metrics.gauge(
    'refusals_remembered_limit',
    'The most refusals remembered; the oldest are forgotten first.',
    () => refusals.remembered().capacity,
  )
  metrics.gauge('dedupe_ids', 'Written messageIds remembered to skip repeats, across sites.', () => recent.size)
  metrics.gauge(
    'dedupe_ids_limit',
    'The most messageIds remembered, shared equally among the sites.',
    () => recent.capacity,
  )
  metrics.gauge('in_flight_bytes', 'Request bytes held now.', () => inFlight.bytes)
  metrics.gauge('in_flight_bytes_peak', 'The most request bytes ever held at once.', () => inFlight.peak)
  metrics.gauge('in_flight_bytes_limit', 'The cap on request bytes held at once.', () => inFlight.limit)
  metrics.gauge('sink_ready', '1 while the sink takes writes, 0 otherwise.', () => (sinkHealth().ready ? 1 : 0))
  metrics.gauge('disk_free_bytes', "Free bytes on the data folder's disk at the last check.", () => {
    const free = sinkHealth().freeBytes
    return Number.isFinite(free) ? free : -1
  })
  metrics.describe('requests', 'Requests answered, by route and status.')
  metrics.describe('events_accepted', 'Events written.')
  metrics.describe(
    'timestamps_clamped',
    'Events whose client-claimed wait before sending was outside 0 to 30 days, clamped.',
  )
  metrics.describe('events_rejected', 'Events refused, by reason (numbers replaced by N).')
  const app = new Hono()
  const routes = new Hono()
  routes.route('/', health({ sink: sinkHealth, ...(options.draining ? { draining: options.draining } : {}) }))
  routes.route('/', metricsRoute(metrics, { config: options.config, peer: socketIp }))
  routes.route('/', segmentApi({ sites, intake, clientIp, admission, refusals }))
  routes.route('/', pixel({ sites, intake, metrics, clientIp, inFlight, refusals }))
  routes.route('/', snippet(options.snippetPath ?? defaultSnippetPath()))
  const services: AppServices = {
    record: recordMadeEvent(intake, sites, refusals),
    recordInBackground: (bytes, record, onFailure) => recordInBackground(inFlight, bytes, record, onFailure),
    metrics,
    clientIp,
    warn: createWarnOnce(log),
  }
  for (const more of options.routes ?? []) routes.route('/', typeof more === 'function' ? more(services) : more)

  // Requests are counted by a middleware registered on each route's own path rather than on every path: Hono
  // answers a request that matches a single handler without composing middleware, and the pixel, which counts its
  // own requests, keeps that fast path (a middleware on every path cost it about a tenth of its time). A request
  // whose path matches several of these patterns is counted once.
  const countedPaths = new Set(routes.routes.map((route) => route.path).filter((path) => !notCountedHere.has(path)))
  const counted = new WeakSet<Context>()
  const count = (c: Context, route: string) => {
    if (counted.has(c)) return
    counted.add(c)
    metrics.increment('requests', 1, {
      route: c.res.status === 404 ? 'unmatched' : route,
      status: String(c.res.status),
    })
  }
  for (const path of countedPaths) {
    app.use(path, async (c, next) => {
      await next()
      count(c, matchedRoutes(c)[c.req.routeIndex]?.path ?? 'unmatched')
    })
  }
  app.notFound((c) => {
    c.res = c.text('404 Not Found', 404)
    count(c, 'unmatched')
    return c.res
  })

  app.onError((error, c) => {
    if (error instanceof RequestError)
      return c.json({ success: false, error: error.message }, error.status, error.headers)
    // The message only: a stack or the request could carry a payload or an address into the logs.
    log.error('request failed', { path: c.req.path, error: error.message })
    return c.json({ success: false, error: 'internal error' }, 500)
  })

  app.route('/', routes)
  // Static files (the example shop, a site under test) are served but not counted: a middleware on '/*' would
  // match the pixel too.
  if (options.staticDir) {
    const files = serveStatic({ root: options.staticDir })
    // A dotfile (.env, .git/…) is never one of a site's pages: it is not served, however its path is spelt.
    app.use('/*', (c, next) => (hasDotSegment(c.req.path) ? next() : files(c, next)))
  }
  return app
}
