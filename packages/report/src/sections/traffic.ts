import { type TimePoint, timeChart } from '../charts/time-chart.js'
import { hints } from '../hints.js'
import { defineSection } from '../section.js'

// Bucket lengths, smallest first; the chart takes the smallest that gives at most 48 buckets.
const buckets = [10_000, 60_000, 5 * 60_000, 15 * 60_000, 3_600_000, 6 * 3_600_000, 86_400_000, 7 * 86_400_000]

/** Visitors and page views over time. */
export const traffic = defineSection({
  id: 'traffic',
  kind: 'interaction',
  title: 'Visitors and page views',
  subtitle: 'Page views (bars) and distinct visitors (line) per interval, UTC',
  hint: hints.tag,
  span: 2,
  async load({ db }) {
    const [span] = await db.all<{ lo: Date | null; hi: Date | null }>(
      `SELECT min(timestamp) AS lo, max(timestamp) AS hi FROM pages`,
    )
    if (!span?.lo || !span.hi) return { points: [] as TimePoint[], bucketMs: 0 }
    const length = span.hi.getTime() - span.lo.getTime()
    const bucketMs = buckets.find((b) => length / b < 48) ?? buckets.at(-1)!
    // The page views are counted per interval first, then set on every interval of the span (one without any shows
    // as 0): the other way round, each page view was joined to its interval and its id read to count it.
    const rows = await db.all<{ t: Date; views: number; visitors: number }>(
      `WITH b AS (
         SELECT unnest(generate_series(time_bucket(to_milliseconds($ms), $lo::TIMESTAMPTZ), $hi::TIMESTAMPTZ, to_milliseconds($ms))) AS t
       ),
       counted AS (
         SELECT time_bucket(to_milliseconds($ms), timestamp) AS t, count(*) AS views, count(DISTINCT visitor_key) AS visitors
         FROM pages GROUP BY t
       )
       SELECT b.t, coalesce(c.views, 0) AS views, coalesce(c.visitors, 0) AS visitors
       FROM b LEFT JOIN counted c USING (t) ORDER BY b.t`,
      { ms: bucketMs, lo: span.lo.toISOString(), hi: span.hi.toISOString() },
    )
    return { points: rows.map((r) => ({ t: r.t, bars: r.views, line: r.visitors })), bucketMs }
  },
  filled: (data) => data.points.length > 0,
  render: (data) => timeChart(data.points, data.bucketMs, ['page views', 'visitors']),
  csv: (d) => ({
    header: ['interval_start', 'pageviews', 'visitors'],
    rows: d.points.map((p) => [p.t.toISOString(), p.bars, p.line]),
  }),
})
