import { type DayPlan, planSources, sourcesWithin } from './compaction/plan-sources.js'
import { type Db, openDb } from './duckdb.js'
import { applyFilters, type ReportFilters } from './filters.js'
import { loadPeriod } from './load-period.js'

/** What {@link openRange} loads. */
export interface RangeOptions {
  dataDir: string
  from: Date
  to: Date
  writeKey?: string
  filters?: ReportFilters
  /** The site's page goals, which a goal filter may name (see `site-goals.ts`). */
  pageGoals?: readonly string[]
  /** A look at the files already made over days that include this range's (see `planDays`), to use instead of a new one. */
  days?: DayPlan[]
}

const hour = 3_600_000

/**
 * A fresh DuckDB holding one range's events as the report loads them (compacted days, published and still-open
 * files, deduplicated, sessionised, filtered), without the batch cart run: for the figures beside the report (the
 * previous period's headline) that count visits, not abandoned carts.
 * The caller closes it.
 */
export async function openRange(options: RangeOptions): Promise<Db> {
  // Late arrivals (beacons, retries) land in later partitions than their event time.
  const from = new Date(options.from.getTime() - hour)
  const to = new Date(options.to.getTime() + hour)
  const sources = options.days ? sourcesWithin(options.days, from, to) : await planSources(options.dataDir, from, to)
  const db = await openDb()
  try {
    await loadPeriod(db, sources, {
      from: options.from,
      to: options.to,
      ...(options.writeKey ? { writeKey: options.writeKey } : {}),
    })
    // Its one query (a headline) reads the kept rows once: they are not copied first.
    if (options.filters) await applyFilters(db, options.filters, 'view', options.pageGoals)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}
