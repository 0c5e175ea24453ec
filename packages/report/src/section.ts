import type { ChosenInterval } from './charts/intervals.js'
import type { FilterLink } from './controls/view-link.js'
import type { CsvTable } from './csv.js'
import type { Db } from './duckdb.js'
import type { ReportFilters } from './filters.js'
import type { ShownFunnels } from './funnels/funnel-config.js'
import type { HeadlineFigures } from './sql/headline.js'
import type { SeriesPoint } from './sql/series.js'

/**
 * The four kinds of customer data, plus performance; the report groups its sections by them. Interaction: how people
 * meet the brand (visits, flows, clicks, email opens); behavioural: what they do (sign-ups, carts, orders, attention);
 * attitudinal: what they think (NPS, surveys, reviews); basic: who they are (identify traits).
 */
export type DataKind = 'interaction' | 'behavioral' | 'attitudinal' | 'basic' | 'performance'

/** What every section's query may use. */
export interface ReportContext {
  db: Db
  from: Date
  to: Date
  /** The page whose click heatmap is drawn (default: the page with most clicks). */
  heatmapPath?: string
  /** The view's filters, for the sections that show more of what one names (a goal's properties). */
  filters?: ReportFilters
  /** Filtered to a goal or a goal's property, the visitors of the view without it (see `sections/goals.ts`). */
  conversionBase?: number
  /** The pages the site counts as goals (`/thank-you`, `/blog/*`: see `site-goals.ts`). */
  pageGoals?: string[]
  /** The interval the reader chose for the visitors chart (default: one that gives it a few dozen bars). */
  chartInterval?: ChosenInterval
  /**
   * The funnels the site defines that the view shows (the dashboard one, a file report all), and the names of all it
   * defines, which the dashboard links (see `funnels/`).
   */
  funnels?: ShownFunnels
  /** The headline figures of the period compared with (the one just before, or a year before). */
  previous?: HeadlineFigures
  /**
   * The visitors chart of the period compared with: its page views and visitors per bucket of `interval` (the one
   * the period's chart takes over its whole range), by position from its start.
   */
  previousSeries?: { interval: string; points: SeriesPoint[] }
  /**
   * This period's headline figures, computed once for every section that shows one of them (each is a scan of the
   * whole period).
   */
  headline(): Promise<HeadlineFigures>
}

/** How a section is drawn: on the dashboard its rows are links that filter the view; in a file report, text. */
export interface RenderView {
  filterLink?: FilterLink
  /** The link to the same view with one of its settings changed: the visitors chart's interval, the funnel shown. */
  settingLink?: (name: 'interval' | 'funnel', value: string) => string
}

/**
 * One section of the report: a query over the `events` table and the HTML it becomes. `filled` says whether the
 * data holds anything to show (an empty section shows how to get the data instead of a blank chart).
 */
export interface Section<T = unknown> {
  id: string
  kind: DataKind
  title: string
  /** One line under the title: what the numbers mean. */
  subtitle: string
  /**
   * What a site owner does to fill the section when it is empty, in their words ("Add the full tag to see time on
   * page"). Sections sharing a hint share one line on the page.
   */
  hint: string
  /** A shop's section: left out altogether, with its hint, while the site has no shop data at all. */
  shop?: boolean
  /** Grid columns it spans (1 or 2 of 2). */
  span?: 1 | 2
  load(context: ReportContext): Promise<T>
  filled(data: T): boolean
  render(data: T, view?: RenderView): string
  /** The panel's rows for its CSV export, from what `load` returned. */
  csv?(data: T): CsvTable
}

/** Helps type a section's data from its `load`. */
export const defineSection = <T>(section: Section<T>): Section<T> => section
