import { bucketIndexSql, type ChartInterval } from '../charts/intervals.js'
import type { Db } from '../duckdb.js'

/** Page views and distinct visitors of one bucket of a period, by its position from the period's start. */
export interface SeriesPoint {
  index: number
  views: number
  visitors: number
}

/**
 * The page views and distinct visitors of the range `db` holds, per bucket of `interval` from `from`, for the
 * buckets 0 to `count - 1` (one without any is 0): the visitors chart of a period and of the one it is compared with,
 * which pair up by position.
 */
export async function seriesByPosition(
  db: Db,
  interval: ChartInterval,
  from: Date,
  count: number,
): Promise<SeriesPoint[]> {
  return db.all<SeriesPoint>(
    `WITH counted AS (
       SELECT ${bucketIndexSql(interval, '$from::TIMESTAMPTZ')} AS index, count(*) AS views,
              count(DISTINCT visitor_key) AS visitors
       FROM pages GROUP BY index
     )
     SELECT r.index, coalesce(c.views, 0) AS views, coalesce(c.visitors, 0) AS visitors
     FROM (SELECT unnest(range(0, $count)) AS index) r LEFT JOIN counted c USING (index) ORDER BY r.index`,
    { from: from.toISOString(), count },
  )
}

/** How many buckets of `interval` from `from` it takes to cover up to `to`. */
export function bucketCount(interval: ChartInterval, from: Date, to: Date): number {
  if (interval.name !== 'month') return Math.max(1, Math.ceil((to.getTime() - from.getTime()) / interval.ms))
  // `to` is exclusive: the last month covered is that of the millisecond before it.
  const last = new Date(to.getTime() - 1)
  const months = (last.getUTCFullYear() - from.getUTCFullYear()) * 12 + last.getUTCMonth() - from.getUTCMonth()
  return Math.max(1, months + 1)
}
