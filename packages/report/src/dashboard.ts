import { dashboardConfig, type SpoorConfig } from '@spoor/protocol'
import { type Context, Hono } from 'hono'
import { buildReport } from './build-report.js'
import { activeFilters, type ReportFilters } from './filters.js'
import { timeRange } from './time-range.js'

/** Options of {@link dashboard}. */
export interface DashboardOptions {
  config: SpoorConfig
  /**
   * Whether a request presents the dashboard's token (HTTP Basic with the token as password, or
   * `Authorization: Bearer`): the collector's `presentsToken`, the check its `/metrics` makes too.
   */
  presentsToken: (c: Context, token: string) => boolean
  /** The collector's data folder. */
  dataDir: string
  /** The collector's abandoned-cart window, so the page decides open carts as the collector does (default 60 min). */
  cartWindowMs?: number
  /** How long a built page is served again for the same query, in ms (default 60 s). */
  cacheMs?: number
}

const headers = {
  'cache-control': 'no-store',
  // The page is inline styles and SVG only: it may load nothing and run nothing.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
}

// "Conversion Error: Could not convert string 'ada@…'" → "Conversion Error".
const errorKind = (error: unknown) =>
  error instanceof Error ? error.message.split(':')[0]!.slice(0, 60) : 'unknown error'

/**
 * `GET /dashboard`: the report, built live from the compacted days and the files not compacted yet, behind the
 * config's dashboard token (HTTP Basic with the token as password, or `Authorization: Bearer`). Query: `site`, `from`,
 * `to`, `heatmap` (a page path), and the filters `source`, `page`, `campaign` (see {@link ReportFilters}).
 * Reports are built one at a time, and a page is served again for a minute, so a burst of reloads costs one build.
 *
 * @example
 * createApp({ config, sink, routes: [dashboard({ config, dataDir: './data', presentsToken })] })
 */
export function dashboard(options: DashboardOptions): Hono {
  const settings = dashboardConfig(options.config)
  const app = new Hono()
  let queue: Promise<unknown> = Promise.resolve()
  // Files are published once a minute by default: a page younger than that is as new as the data allows.
  const cache = new Map<string, { at: number; html: Promise<string> }>()
  const cacheMs = options.cacheMs ?? 60_000
  app.get('/dashboard', async (c) => {
    if (!settings)
      return c.json(
        { success: false, error: 'the dashboard is off: add {"dashboard": {"token": "…"}} to the config' },
        404,
      )
    if (!options.presentsToken(c, settings.token)) {
      return c.text('the dashboard needs its token (the password of this login, or Authorization: Bearer)', 401, {
        'www-authenticate': 'Basic realm="spoor dashboard", charset="UTF-8"',
        'cache-control': 'no-store',
      })
    }
    const site = c.req.query('site')
    const known = options.config.sites.find((s) => s.writeKey === site)
    if (site && !known) return c.json({ success: false, error: `no site with key "${site}" in the config` }, 400)
    let range: ReturnType<typeof timeRange>
    try {
      range = timeRange(c.req.query('from'), c.req.query('to'))
    } catch (error) {
      return c.json({ success: false, error: (error as Error).message }, 400)
    }
    const only = options.config.sites.length === 1 ? options.config.sites[0] : undefined
    const title = known ? (known.name ?? known.writeKey) : only ? (only.name ?? only.writeKey) : 'All sites'
    const heatmapPath = c.req.query('heatmap')
    const filters: ReportFilters = activeFilters({
      source: c.req.query('source'),
      page: c.req.query('page'),
      campaign: c.req.query('campaign'),
    })
    const key = JSON.stringify([site, c.req.query('from'), c.req.query('to'), heatmapPath, filters])
    const now = Date.now()
    for (const [k, entry] of cache) if (now - entry.at >= cacheMs) cache.delete(k)
    let entry = cache.get(key)
    if (!entry) {
      const built = queue.then(() =>
        buildReport({
          dataDir: options.dataDir,
          ...range,
          title,
          ...(site ? { writeKey: site } : {}),
          ...(heatmapPath ? { heatmapPath } : {}),
          filters,
          ...(options.cartWindowMs ? { cartWindowMs: options.cartWindowMs } : {}),
        }),
      )
      queue = built.catch(() => {})
      entry = { at: now, html: built.then((report) => report.html) }
      // A failed build is not kept: the next request tries again.
      entry.html.catch(() => cache.delete(key))
      cache.set(key, entry)
    }
    let html: string
    try {
      html = await entry.html
    } catch (error) {
      // DuckDB's messages quote the values they failed on, which are event data: the log gets the kind of failure.
      throw new Error(`the report could not be built (${errorKind(error)})`)
    }
    return c.html(html, 200, headers)
  })
  return app
}
