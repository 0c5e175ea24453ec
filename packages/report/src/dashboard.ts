import { dashboardConfig, type SpoorConfig } from '@spoor/protocol'
import { type Context, Hono } from 'hono'
import { buildReport, type Report } from './build-report.js'
import { type ChosenInterval, chosenIntervals } from './charts/intervals.js'
import { dashboardControls } from './controls/controls.js'
import { firstDataDay } from './controls/first-day.js'
import { comparedRange, queryRange } from './controls/period.js'
import {
  csvLink,
  filterLinks,
  filterParams,
  queryFilters,
  type ViewQuery,
  viewLink,
  viewParams,
} from './controls/view-link.js'
import { viewTitle } from './controls/view-title.js'
import { toCsv } from './csv.js'
import { dashboardErrorPage } from './error-page.js'
import { containsFilters, filterProblem, type ReportFilters } from './filters.js'
import { type ShownFunnels, shownFunnel } from './funnels/funnel-config.js'
import { liveVisitors } from './live-visitors.js'
import type { Segment } from './site-segments.js'
import { siteReportSettings } from './site-settings.js'
import type { TimeRange } from './time-range.js'

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
  /** The clock of the periods, the comparison and the visitors of the last minutes (default: the system's). */
  now?: () => Date
}

/** How often the real-time view reloads itself (a meta refresh: the page runs no script). */
const realtimeRefreshMs = 30_000
/**
 * Whether a view reloads itself: the real-time one, until its reader stops it (`refresh=off`). A page changing on a
 * timer its reader cannot stop fails WCAG 2.2.1 (Timing Adjustable): a screen reader starts over at the top.
 */
const reloads = (query: ViewQuery) => query.period === 'realtime' && query.refresh !== 'off'

const headers = {
  'cache-control': 'no-store',
  // The page is inline styles and SVG only: it may load nothing and run nothing. Its forms (a custom range, a filter
  // by a part of a value) are GETs back to the dashboard itself: 'self' lets them, and keeps a form from sending
  // anything anywhere else. The real-time view's reload is a meta refresh, which no directive governs.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
}

// "Conversion Error: Could not convert string 'ada@…'" → "Conversion Error".
const errorKind = (error: unknown) =>
  error instanceof Error ? error.message.split(':')[0]!.slice(0, 60) : 'unknown error'

/** A request's view: its parameters, range and filters, or why it cannot be shown. */
type View =
  | {
      query: ViewQuery
      range: TimeRange
      compared?: TimeRange
      filters: ReportFilters
      title: string
      funnels?: ShownFunnels
      pageGoals?: string[]
      segments: Segment[]
    }
  | { error: string; status?: 403 }

/** A view's report, with the visitors of the last five minutes as of its build. */
type LiveReport = Report & { live: number }

/**
 * `GET /dashboard`: the report, built live from the compacted days and the files not compacted yet, behind the
 * config's dashboard token (HTTP Basic with the token as password, or `Authorization: Bearer`). Query: `site`, the
 * range (`period`, one of `periods`, else `from` and `to`), `compare` (`previous`, `year` or `none`), `interval`
 * (the visitors chart's: `minute` to `month`), `funnel` (one the site defines), `heatmap` (a page path), and the
 * filters of `filterNames` (`source`, `page`, `country`...), each also as `not_NAME` for "is not"
 * (see {@link ReportFilters}). The page links every period, filter and panel export to the same view with one
 * parameter changed, compares the headline with the period before (or the year before), and counts the visitors of
 * the last five minutes.
 * `GET /dashboard.csv?panel=<id>&…` gives one panel's rows of that view as CSV, `GET /dashboard.json?…` the same rows
 * as JSON (every panel's without `panel`). Reports are built one at a time, and
 * a page is served again for a minute, so a burst of reloads costs one build.
 *
 * @example
 * createApp({ config, sink, routes: [dashboard({ config, dataDir: './data', presentsToken })] })
 */
export function dashboard(options: DashboardOptions): Hono {
  const settings = dashboardConfig(options.config)
  const settingsOf = new Map(
    options.config.sites.map((site, i) => [site.writeKey, siteReportSettings(site, `sites[${i}]`)]),
  )
  const app = new Hono()
  const clock = options.now ?? (() => new Date())
  let queue: Promise<unknown> = Promise.resolve()
  // Files are published once a minute by default: a page younger than that is as new as the data allows.
  const cache = new Map<string, { at: number; keepMs: number; report: Promise<LiveReport> }>()
  const cacheMs = options.cacheMs ?? 60_000

  /** The view a request asks for; `onlySite`, a share's site, is the one site it may show. */
  const viewOf = async (c: Context, onlySite: string | undefined): Promise<View> => {
    const query: ViewQuery = {}
    for (const name of viewParams) {
      const value = c.req.query(name)
      if (value) query[name] = value
    }
    if (onlySite) {
      if (query.site && query.site !== onlySite) {
        return { error: `this link shows the site "${onlySite}" only`, status: 403 }
      }
      // Its links then keep the site, as a link of the owner's names it.
      query.site = onlySite
    }
    const known = options.config.sites.find((s) => s.writeKey === query.site)
    if (query.site && !known) return { error: `no site with key "${query.site}" in the config` }
    let range: TimeRange
    let compared: TimeRange | undefined
    try {
      // All time starts where the data does: only that period looks.
      const firstDay = query.period === 'all' ? await firstDataDay(options.dataDir) : undefined
      range = queryRange(query, clock(), firstDay)
      compared = comparedRange(range, query)
    } catch (error) {
      return { error: (error as Error).message }
    }
    const only = options.config.sites.length === 1 ? options.config.sites[0] : undefined
    const title = known ? (known.name ?? known.writeKey) : only ? (only.name ?? only.writeKey) : 'All sites'
    const filters = queryFilters(query)
    if (query.interval && !(chosenIntervals as readonly string[]).includes(query.interval)) {
      return { error: `interval "${query.interval}" is not one of ${chosenIntervals.join(', ')}` }
    }
    if (query.refresh && query.refresh !== 'off') return { error: `refresh "${query.refresh}" is not off` }
    // The funnels and page goals of the site shown (of the only site, when there is one and no site is asked for).
    const { funnels, pageGoals, segments } =
      settingsOf.get((known ?? only)?.writeKey ?? '') ?? siteReportSettings(undefined)
    const funnel = shownFunnel(funnels, query.funnel)
    if (funnel && 'error' in funnel) return funnel
    const problem = filterProblem(filters)
    if (problem) return { error: problem }
    return {
      query,
      range,
      ...(compared ? { compared } : {}),
      filters,
      title,
      ...(funnel ? { funnels: funnel } : {}),
      ...(pageGoals.length ? { pageGoals } : {}),
      segments,
    }
  }

  /** The report of a view: built one at a time, and kept a minute for the same query. */
  const reportOf = (view: Exclude<View, { error: string }>): Promise<LiveReport> => {
    const { query, range, filters } = view
    const key = JSON.stringify(viewParams.map((name) => query[name] ?? ''))
    const now = Date.now()
    for (const [k, entry] of cache) if (now - entry.at >= entry.keepMs) cache.delete(k)
    const cached = cache.get(key)
    if (cached) return cached.report
    const built = queue.then(async () => {
      const at = clock()
      const live = await liveVisitors({
        dataDir: options.dataDir,
        now: at,
        ...(query.site ? { writeKey: query.site } : {}),
      })
      const report = await buildReport({
        dataDir: options.dataDir,
        ...range,
        now: at,
        title: view.title,
        ...(query.site ? { writeKey: query.site } : {}),
        ...(query.heatmap ? { heatmapPath: query.heatmap } : {}),
        ...(query.interval ? { chartInterval: query.interval as ChosenInterval } : {}),
        filters,
        ...(view.compared ? { compareWith: view.compared } : {}),
        ...(view.funnels ? { funnels: view.funnels } : {}),
        ...(view.pageGoals ? { pageGoals: view.pageGoals } : {}),
        view: { filterLink: filterLinks(query), settingLink: (name, value) => viewLink(query, { [name]: value }) },
        page: {
          controls: dashboardControls({
            query,
            range,
            filters,
            live,
            segments: view.segments,
            refreshSeconds: realtimeRefreshMs / 1000,
          }),
          csvLink: (panel) => csvLink(query, panel),
          view: viewTitle(query, range, filters),
          ...(reloads(query) ? { refreshSeconds: realtimeRefreshMs / 1000 } : {}),
        },
        ...(options.cartWindowMs ? { cartWindowMs: options.cartWindowMs } : {}),
      })
      return { ...report, live }
    })
    queue = built.catch(() => {})
    // The real-time view reloads itself: it is kept no longer than its reload.
    const keepMs = reloads(query) ? Math.min(cacheMs, realtimeRefreshMs) : cacheMs
    const entry = { at: now, keepMs, report: built }
    // A failed build is not kept: the next request tries again.
    built.catch(() => cache.delete(key))
    cache.set(key, entry)
    return built
  }

  /**
   * The token check both routes make: a response when the request may not see the dashboard, else the one site it
   * may see when it presents a share's token (undefined for the dashboard's own token: every site).
   */
  const access = (c: Context): { refused: Response } | { site: string | undefined } => {
    if (!settings)
      return {
        refused: c.json(
          { success: false, error: 'the dashboard is off: add {"dashboard": {"token": "…"}} to the config' },
          404,
        ),
      }
    if (options.presentsToken(c, settings.token)) return { site: undefined }
    const share = settings.shares.find((s) => options.presentsToken(c, s.token))
    if (share) return { site: share.site }
    return {
      refused: c.text('the dashboard needs its token (the password of this login, or Authorization: Bearer)', 401, {
        'www-authenticate': 'Basic realm="spoor dashboard", charset="UTF-8"',
        'cache-control': 'no-store',
      }),
    }
  }

  const built = async (view: Exclude<View, { error: string }>) => {
    try {
      return await reportOf(view)
    } catch (error) {
      // DuckDB's messages quote the values they failed on, which are event data: the log gets the kind of failure.
      throw new Error(`the report could not be built (${errorKind(error)})`)
    }
  }

  /**
   * A view refused: for a browser (its request accepts HTML) a page saying why with a way back, for a script JSON.
   * The way back keeps only the site, so that it always answers.
   */
  const refusedView = (c: Context, error: string, status: 400 | 403 = 400, shareSite?: string) => {
    if (!c.req.header('accept')?.includes('text/html')) return c.json({ success: false, error }, status)
    const site = shareSite ?? c.req.query('site')
    const known = site !== undefined && options.config.sites.some((s) => s.writeKey === site)
    return c.html(dashboardErrorPage(error, known ? viewLink({}, { site }) : 'dashboard'), status, headers)
  }

  app.get('/dashboard', async (c) => {
    const allowed = access(c)
    if ('refused' in allowed) return allowed.refused
    // The "containing" form names its filter by a choice: its answer is the view's link with that filter set.
    const contains = c.req.query('contains')
    if (contains !== undefined) {
      if (!(containsFilters as readonly string[]).includes(contains)) {
        return refusedView(c, `contains "${contains}" is not one of ${containsFilters.join(', ')}`, 400, allowed.site)
      }
      const view = await viewOf(c, allowed.site)
      if ('error' in view) return refusedView(c, view.error, view.status, allowed.site)
      const filter = `${contains}_contains` as (typeof viewParams)[number]
      // Spaces around what was typed or pasted are not part of it: a page shows them as nothing, so a chip reading
      // "page contains: pricing" would keep no visit while "pricing" keeps some. Only spaces is no filter.
      return c.redirect(viewLink(view.query, { [filter]: c.req.query('text')?.trim() || undefined }), 303)
    }
    const view = await viewOf(c, allowed.site)
    if ('error' in view) return refusedView(c, view.error, view.status, allowed.site)
    return c.html((await built(view)).html, 200, headers)
  })

  /** The panels of a view with rows to export, or the one `panel` names: a 400 naming them when it has none. */
  const exported = async (c: Context, panel: string | undefined) => {
    const allowed = access(c)
    if ('refused' in allowed) return { answer: allowed.refused }
    const view = await viewOf(c, allowed.site)
    if ('error' in view) return { answer: c.json({ success: false, error: view.error }, view.status ?? 400) }
    const report = await built(view)
    const panels = report.sections.flatMap(({ id, csv }) => (csv ? [{ id, csv }] : []))
    const chosen = panel === undefined ? panels : panels.filter((s) => s.id === panel)
    if (!chosen.length) {
      const names = panels.map((s) => s.id).join(', ')
      return {
        answer: c.json(
          { success: false, error: `panel "${panel}" has no rows to export: ask for one of ${names}` },
          400,
        ),
      }
    }
    return { view, sections: chosen, live: report.live }
  }

  // The same rows as JSON, for a script rather than a spreadsheet: each row an object keyed by the CSV's header,
  // numbers as numbers; every panel of the view without `panel`.
  app.get('/dashboard.json', async (c) => {
    const result = await exported(c, c.req.query('panel'))
    if ('answer' in result) return result.answer
    const { view, sections, live } = result
    const panels = Object.fromEntries(
      sections.map(({ id, csv }) => [
        id,
        csv.rows.map((row) =>
          Object.fromEntries(
            csv.header.map((name, i) => {
              const value = row[i]
              return [name, typeof value === 'number' && !Number.isFinite(value) ? null : (value ?? null)]
            }),
          ),
        ),
      ]),
    )
    const filters = Object.fromEntries(
      filterParams.flatMap((name) => (view.query[name] ? [[name, view.query[name]]] : [])),
    )
    c.header('cache-control', 'no-store')
    c.header('x-content-type-options', 'nosniff')
    return c.json({
      site: view.query.site ?? null,
      from: view.range.from.toISOString(),
      to: view.range.to.toISOString(),
      filters,
      // The visitors of the last five minutes, the whole site's whatever the filters (the page's "now" count), as of
      // the build: at most a minute old.
      visitorsNow: live,
      panels,
    })
  })

  app.get('/dashboard.csv', async (c) => {
    const panel = c.req.query('panel') ?? ''
    const result = await exported(c, panel)
    if ('answer' in result) return result.answer
    const { view, sections } = result
    const section = sections[0]!
    const day = (date: Date) => date.toISOString().slice(0, 10)
    return c.body(toCsv(section.csv), 200, {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `attachment; filename="spoor-${panel}-${day(view.range.from)}-${day(new Date(view.range.to.getTime() - 1))}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    })
  })
  return app
}
