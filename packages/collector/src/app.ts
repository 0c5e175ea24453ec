import { serveStatic } from '@hono/node-server/serve-static'
import { Hono, type Context } from 'hono'
import type { SpoorConfig } from './config.js'
import { emailRoutes } from './email/email-routes.js'
import { createMetrics, type Metrics } from './metrics.js'
import { health } from './routes/health.js'
import { pixel } from './routes/pixel.js'
import { segmentApi } from './routes/segment-api.js'
import { defaultSnippetPath, snippet } from './routes/snippet.js'
import type { EventSink } from './sink/event-sink.js'
import { createSites } from './sites.js'
import { socketIp } from './steps/client-ip.js'
import { createRecentIds } from './steps/recent-ids.js'
import { RequestError } from './steps/request-error.js'

export interface AppOptions {
  config: SpoorConfig
  /** Where events go; see `createNdjsonSink`. */
  sink: EventSink
  /** The built snippet served at `/spoor.js` (default: the `@spoor/snippet` package's). */
  snippetPath?: string
  /** A folder of static files served at `/` (the example shop, a site under test). */
  staticDir?: string
  /** The client's address for a request (default: the socket's peer). Only its masked form is written. */
  clientIp?: (c: Context) => string | undefined
  metrics?: Metrics
}

/**
 * Creates the collector as a Hono app: the Segment HTTP API, the tracking pixel, the snippet and health routes.
 * Serve it with `startServer`, or mount it in an app of your own.
 *
 * @example
 * const sink = createNdjsonSink({ dataDir: './data' })
 * const app = createApp({ config: await loadConfig('spoor.config.json'), sink })
 */
export function createApp(options: AppOptions): Hono {
  const sites = createSites(options.config)
  const metrics = options.metrics ?? createMetrics()
  const intake = { sink: options.sink, recent: createRecentIds() }
  const clientIp = options.clientIp ?? socketIp
  const app = new Hono()

  app.onError((error, c) => {
    if (error instanceof RequestError) {
      metrics.increment(`requests_refused_${error.status}`)
      return c.json({ success: false, error: error.message }, error.status, error.headers)
    }
    metrics.increment('requests_failed')
    console.error(JSON.stringify({ level: 'error', msg: 'request failed', error: String(error) }))
    return c.json({ success: false, error: 'internal error' }, 500)
  })

  app.route('/', health())
  app.route('/', segmentApi({ sites, intake, clientIp }))
  app.route('/', pixel({ sites, intake, metrics, clientIp }))
  app.route('/', emailRoutes({ config: options.config, sites, intake, metrics, clientIp }))
  app.route('/', snippet(options.snippetPath ?? defaultSnippetPath()))
  if (options.staticDir) app.use('/*', serveStatic({ root: options.staticDir }))
  return app
}
