import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkpointVisitors, createCartDetector, detectInFiles, siteCheckpoint } from '@spoor/carts'
import { writeCartHistory } from './cart-history.js'
import { type ChosenInterval, chartInterval, mostChosenBuckets } from './charts/intervals.js'
import { defaultCartWindowMs, recoverWithinMs } from './compaction/day-carts.js'
import { dayMs } from './compaction/day-names.js'
import { cartsUndecidedFrom, planDays, sourcesWithin } from './compaction/plan-sources.js'
import { cartsResumePoint } from './compaction/resume-carts.js'
import { openDb } from './duckdb.js'
import { activeFilters, anyFilter, applyFilters, type ReportFilters } from './filters.js'
import type { ShownFunnels } from './funnels/funnel-config.js'
import { shownLabel } from './html.js'
import { loadPeriod } from './load-period.js'
import { openRange } from './open-range.js'
import { type PageInfo, type RenderedSection, renderPage } from './page.js'
import type { RenderView, ReportContext } from './section.js'
import { conversionBase } from './sections/goals.js'
import { sections } from './sections/index.js'
import { type HeadlineFigures, headlineFigures } from './sql/headline.js'
import { bucketCount, seriesByPosition } from './sql/series.js'
import type { TimeRange } from './time-range.js'

/** What a report covers. */
export interface ReportOptions {
  dataDir: string
  from: Date
  to: Date
  /** Only this site's events. */
  writeKey?: string
  /** The page title (default: the site's key, or "All sites"). */
  title?: string
  /** The page whose click heatmap opens first. */
  heatmapPath?: string
  /** The visitors chart's interval, when the reader chose one (see `charts/intervals.ts`). */
  chartInterval?: ChosenInterval
  /** The pages the site counts as goals (see `site-goals.ts`). */
  pageGoals?: string[]
  /** The site's funnels shown, and the names of all it defines (see `funnels/funnel-config.ts`). */
  funnels?: ShownFunnels
  /** The abandoned-cart window of the batch run that completes the files' own cart events (default 60 minutes). */
  cartWindowMs?: number
  /** The clock (default now): carts are decided as of the earlier of this and `to`. */
  now?: Date
  /** Only the sessions that match these (see {@link ReportFilters}). */
  filters?: ReportFilters
  /** The range the headline figures are compared with (the dashboard's previous period). */
  compareWith?: TimeRange
  /** How rows render: the dashboard's filter links (default: plain text, as a file report has no server). */
  view?: RenderView
  /** The dashboard's controls and CSV links (see {@link PageInfo}). */
  page?: Pick<PageInfo, 'controls' | 'csvLink' | 'refreshSeconds' | 'view'>
}

/** A built report: the page and its sections. */
export interface Report {
  html: string
  sections: RenderedSection[]
  events: number
  /** Lines of the period's files that could not be read (not JSON, or a field of the wrong type): skipped. */
  unreadable: number
}

const hour = 3_600_000

/**
 * Builds the report: loads the published files of the range into DuckDB, completes the files' abandoned-cart
 * events with a batch run of the same detector (so the section is right whether or not the collector ran it live;
 * shared `messageId`s dedupe the two), runs every section's query and renders one self-contained HTML page.
 *
 * @example
 * const { html } = await buildReport({ dataDir: './data', from: new Date('2026-03-01'), to: new Date() })
 */
export async function buildReport(options: ReportOptions): Promise<Report> {
  const windowMs = options.cartWindowMs ?? defaultCartWindowMs
  const now = options.now ?? new Date()
  const decideAt = new Date(Math.min(now.getTime(), options.to.getTime()))
  // DuckDB opens while the files are looked at: in a fresh process (`spoor report`) loading its library takes a
  // quarter of a second. A failure to open is thrown where it is awaited.
  const opening = openDb()
  opening.catch(() => {})
  const planned = await planReport(options, windowMs, decideAt).catch(async (error: unknown) => {
    await opening.then(
      (db) => db.close(),
      () => {},
    )
    throw error
  })
  const { sources, history, undecidedFrom, resumeFrom, previous, previousSeries } = planned
  const db = await opening
  const scratch = await mkdtemp(join(tmpdir(), 'spoor-carts-'))
  try {
    const derived =
      undecidedFrom < decideAt
        ? (
            await detectInFiles(createCartDetector({ windowMs, recoverWithinMs, resumeFrom }), options.dataDir, {
              now: decideAt,
              files: [await writeCartHistory(db, history, scratch, resumeFrom ? checkpointVisitors(resumeFrom) : [])],
              ...(options.writeKey ? { writeKey: options.writeKey } : {}),
            })
          ).filter((line) => Date.parse(line.receivedAt) >= undecidedFrom.getTime())
        : []
    const loaded = await loadPeriod(db, sources, {
      derived,
      from: options.from,
      to: options.to,
      ...(options.writeKey ? { writeKey: options.writeKey } : {}),
    })
    const unreadable = loaded.unreadable + sources.unreadable
    // The dashboard passes its filters even when none is set. A filtered view counts the rows it kept, not those
    // it loaded.
    let events: number
    // What a goal converts is a share of, read before a goal filter keeps only the visits that reached it.
    const base = await conversionBase(db, options.filters, options.pageGoals)
    if (anyFilter(options.filters)) {
      await applyFilters(db, options.filters!, 'copied', options.pageGoals)
      const [kept] = await db.all<{ n: number }>('SELECT count(*) AS n FROM events')
      events = kept?.n ?? 0
    } else {
      events = await loaded.countEvents()
    }
    let headline: Promise<HeadlineFigures> | undefined
    const context = {
      db,
      from: options.from,
      to: options.to,
      headline: () => {
        headline ??= headlineFigures(db)
        return headline
      },
      ...(options.heatmapPath ? { heatmapPath: options.heatmapPath } : {}),
      ...(options.chartInterval ? { chartInterval: options.chartInterval } : {}),
      ...(options.funnels?.shown.length ? { funnels: options.funnels } : {}),
      ...(options.pageGoals?.length ? { pageGoals: options.pageGoals } : {}),
      ...(options.filters ? { filters: activeFilters(options.filters) } : {}),
      ...(base === undefined ? {} : { conversionBase: base }),
      ...(previous ? { previous } : {}),
      ...(previousSeries ? { previousSeries } : {}),
    }
    const rendered: RenderedSection[] = []
    for (const section of sections) {
      const base = {
        id: section.id,
        kind: section.kind,
        title: section.title,
        subtitle: section.subtitle,
        span: section.span ?? 1,
        hint: section.hint,
        shop: section.shop ?? false,
      }
      try {
        const data = await section.load(context)
        const filled = section.filled(data)
        const html = filled ? section.render(data, options.view) : ''
        rendered.push({ ...base, filled, html, ...(section.csv ? { csv: section.csv(data) } : {}) })
      } catch (error) {
        // One failing query costs its own section, not the report.
        rendered.push({
          ...base,
          filled: false,
          html: `<div class="empty" data-error>Could not compute this section: ${shownLabel((error as Error).message)}</div>`,
        })
      }
    }
    const title = options.title ?? (options.writeKey ? options.writeKey : 'All sites')
    const html = renderPage(
      { title, from: options.from, to: options.to, generatedAt: now, events, unreadable, ...options.page },
      rendered,
    )
    return { html, sections: rendered, events, unreadable }
  } finally {
    await rm(scratch, { recursive: true, force: true })
    // Closing frees what DuckDB holds, which took 60-95 ms at ten million events and 250 ms for a view filtered by
    // a source (its copy of the kept rows): the page need not wait for it. `setImmediate` runs once the caller has
    // taken the result and written its answer, and before the next request is read.
    setImmediate(() => db.close())
  }
}

/**
 * What a report reads ({@link buildReport}): the sources of its range, those of the cart run's history, and the
 * previous period's headline when it is compared with one. One look at the files serves every range: each look
 * stats the files of its days (but for the compacted days whose folders are unchanged) and reads their manifests.
 */
async function planReport(options: ReportOptions, windowMs: number, decideAt: Date) {
  // Late arrivals (beacons, retries) land in later partitions than their event time.
  const sourcesFrom = new Date(options.from.getTime() - hour)
  const sourcesTo = new Date(options.to.getTime() + 24 * hour)
  // The replay of the carts reads from a window and a recovery period before the period at the earliest; a checkpoint
  // to resume from instead is checked against the days its own replay read, as far again and a day before that.
  const historyFrom = new Date(options.from.getTime() - 2 * (windowMs + recoverWithinMs + hour) - dayMs)
  const compared = options.compareWith
  const days = await planDays(
    options.dataDir,
    new Date(Math.min(sourcesFrom.getTime(), historyFrom.getTime(), (compared?.from.getTime() ?? Infinity) - hour)),
    new Date(Math.max(sourcesTo.getTime(), decideAt.getTime(), (compared?.to.getTime() ?? -Infinity) + hour)),
  )
  const sources = sourcesWithin(days, sourcesFrom, sourcesTo)
  // The compacted days hold their cart decisions: the batch run decides only from where they stop (today's last
  // hours, typically), replaying the history a decision then needs.
  const undecidedFrom = cartsUndecidedFrom(days, options.from, decideAt, { windowMs, recoverWithinMs })
  // From the detector's checkpoint at the end of the last compacted day, when there is one to resume from, the run
  // reads only the lines after it; else it replays the lines a decision from `undecidedFrom` on may need.
  const resume =
    undecidedFrom < decideAt
      ? await cartsResumePoint(options.dataDir, days, { undecidedFrom, decideAt, windowMs, recoverWithinMs })
      : undefined
  const history = sourcesWithin(
    days,
    resume?.at ?? new Date(undecidedFrom.getTime() - windowMs - recoverWithinMs - hour),
    decideAt,
  )
  const resumeFrom =
    resume && options.writeKey ? siteCheckpoint(resume.checkpoint, options.writeKey) : resume?.checkpoint

  // The previous period is loaded into a database of its own for its headline alone, closed before this period's
  // loads: the two never hold rows at once.
  let previous: HeadlineFigures | undefined
  let previousSeries: ReportContext['previousSeries']
  if (compared) {
    const earlier = await openRange({
      dataDir: options.dataDir,
      ...compared,
      days,
      ...(options.writeKey ? { writeKey: options.writeKey } : {}),
      ...(options.filters ? { filters: options.filters } : {}),
      ...(options.pageGoals ? { pageGoals: options.pageGoals } : {}),
    })
    try {
      previous = await headlineFigures(earlier)
      // The chart's line of the period before, by the interval the period's chart takes over its whole range. A
      // range of centuries (the dates are the reader's) would be thousands of months: past the most a chart draws,
      // the chart spans the data instead, with no line.
      const interval = chartInterval(options.to.getTime() - options.from.getTime(), options.chartInterval)
      const count = bucketCount(interval, compared.from, compared.to)
      if (Math.max(count, bucketCount(interval, options.from, options.to)) <= mostChosenBuckets) {
        previousSeries = {
          interval: interval.name,
          points: await seriesByPosition(earlier, interval, compared.from, count),
        }
      }
    } finally {
      earlier.close()
    }
  }
  return { sources, history, undecidedFrom, resumeFrom, previous, previousSeries }
}
