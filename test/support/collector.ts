import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { withCartDetector } from '@spoor/carts'
import { type AppServices, createApp, parseConfig, type RunningServer, startServer } from '@spoor/collector'
import { emailRoutes } from '@spoor/email'
import { createNdjsonSink } from '@spoor/log'
import type { SpoorConfig } from '@spoor/protocol'
import { Hono } from 'hono'

/** A request as the collector saw it: how the browser sent it (`sec-fetch-mode`: beacons are `no-cors`). */
export interface SeenRequest {
  method: string
  path: string
  mode: string | null
  body: string
}

/** What a test collector serves: the e2e config (one site, `e2e-key`, any origin) unless given. */
export interface CollectorOptions {
  config?: SpoorConfig
  /** A folder served at `/` by the collector itself, as `npm start` serves the shop. */
  staticDir?: string
  dataDir?: string
  /** Runs the live abandoned-cart detector with this window, on this clock (default: no detector). */
  carts?: { windowMs: number; now: () => Date }
  /** The collector's clock, which stamps arrivals and names files (default: the system clock). */
  now?: () => Date
}

export interface TestCollector {
  url: string
  /** Every request received so far. */
  requests: SeenRequest[]
  port: number
  dataDir: string
  /** Stops it as SIGTERM would: in-flight requests finish and open files are published. */
  stop(): Promise<void>
  /** Starts it again on the same port and data folder. */
  start(): Promise<void>
}

/**
 * A real collector on a free port of 127.0.0.1, writing real NDJSON files to a fresh folder, published every
 * 200 ms so tests read them soon.
 */
export async function startCollector(options: CollectorOptions = {}): Promise<TestCollector> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'spoor-e2e-')))
  const config = options.config ?? parseConfig({ sites: [{ writeKey: 'e2e-key', origins: ['*'] }] })
  let server: RunningServer | undefined
  let port = 0
  const requests: SeenRequest[] = []
  const start = async () => {
    const files = createNdjsonSink({ dataDir, maxFileAgeMs: 200, ...(options.now ? { now: options.now } : {}) })
    const sink = options.carts ? withCartDetector(files, { dataDir, ...options.carts, tickMs: 100 }) : files
    // With the email routes mounted, as spoor serve mounts them.
    const routes = [(services: AppServices) => emailRoutes({ config, ...services })]
    const collector = createApp({
      config,
      sink,
      routes,
      ...(options.staticDir ? { staticDir: options.staticDir } : {}),
      ...(options.now ? { now: options.now } : {}),
    })
    const app = new Hono()
    app.use(async (c, next) => {
      const body = c.req.method === 'POST' ? await c.req.raw.clone().text() : ''
      requests.push({ method: c.req.method, path: c.req.path, mode: c.req.header('sec-fetch-mode') ?? null, body })
      await next()
    })
    app.route('/', collector)
    server = await startServer({ app, sink, port, hostname: '127.0.0.1' })
    port = server.port
  }
  await start()
  return {
    requests,
    get url() {
      return `http://127.0.0.1:${port}`
    },
    get port() {
      return port
    },
    dataDir,
    start,
    stop: async () => {
      await server?.close()
      server = undefined
    },
  }
}
