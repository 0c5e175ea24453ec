import { bucketStart, type ChosenInterval, chartInterval, intervalChoices, intervalNamed } from '../charts/intervals.js'
import { type TimePoint, timeChart } from '../charts/time-chart.js'
import { linkChoices } from '../controls/link-choices.js'
import { hints } from '../hints.js'
import { esc } from '../html.js'
import { defineSection, type ReportContext } from '../section.js'
import { bucketCount, seriesByPosition } from '../sql/series.js'

const hour = 3_600_000

const intervalLabels: Record<ChosenInterval, string> = {
  minute: 'Minutes',
  hour: 'Hours',
  day: 'Days',
  week: 'Weeks',
  month: 'Months',
}

/**
 * The chart when the view is compared with another period: the whole range by the interval the comparison was
 * counted by, each bucket beside the compared period's at the same position (its first day beside the other's
 * first day), the compared visitors drawn as a dashed line.
 */
async function comparedSeries(context: ReportContext, previous: NonNullable<ReportContext['previousSeries']>) {
  const interval = intervalNamed(previous.interval)!
  const { db, from, to } = context
  const rows = await seriesByPosition(db, interval, from, bucketCount(interval, from, to))
  // A period with no page view shows the hint, as without a comparison.
  const points: TimePoint[] = rows.some((row) => row.views > 0)
    ? rows.map((row, i) => ({
        t: bucketStart(from, interval, i),
        bars: row.views,
        line: row.visitors,
        previous: previous.points[i]?.visitors ?? 0,
      }))
    : []
  return {
    points,
    bucketMs: interval.ms,
    interval: interval.name,
    choices: intervalChoices(to.getTime() - from.getTime()),
    compared: true,
  }
}

/** Visitors and page views over time. */
export const traffic = defineSection({
  id: 'traffic',
  kind: 'interaction',
  title: 'Visitors and page views',
  subtitle: 'Page views (bars) and distinct visitors (line) per interval, UTC',
  hint: hints.tag,
  span: 2,
  async load(context) {
    // A compared period with no page view has no line to draw: the chart spans this period's data, as without one
    // (a new site's first minutes show by the second, not as one bar at the end of a month).
    const previous = context.previousSeries
    if (previous?.points.some((point) => point.views > 0)) return comparedSeries(context, previous)
    const { db, chartInterval: chosen } = context
    const [span] = await db.all<{ lo: Date | null; hi: Date | null }>(
      `SELECT min(timestamp) AS lo, max(timestamp) AS hi FROM pages`,
    )
    if (!span?.lo || !span.hi)
      return { points: [] as TimePoint[], bucketMs: 0, interval: '', choices: [], compared: false }
    // A range of an hour at most (the real-time view's 30 minutes) is drawn whole, a quiet minute at either end as
    // 0: spanning its page views, it narrowed to the minutes since the first one, and the chart's left edge moved.
    const { from, to } = context
    const whole = to.getTime() - from.getTime() <= hour
    const lo = whole ? from : span.lo
    const hi = whole ? new Date(to.getTime() - 1) : span.hi
    const length = hi.getTime() - lo.getTime()
    const interval = chartInterval(length, chosen)
    // The page views are counted per interval first, then set on every interval of the span (one without any shows
    // as 0): the other way round, each page view was joined to its interval and its id read to count it.
    const rows = await db.all<{ t: Date; views: number; visitors: number }>(
      `WITH b AS (
         SELECT unnest(generate_series(time_bucket(${interval.sql}, $lo::TIMESTAMPTZ), $hi::TIMESTAMPTZ, ${interval.sql})) AS t
       ),
       counted AS (
         SELECT time_bucket(${interval.sql}, timestamp) AS t, count(*) AS views, count(DISTINCT visitor_key) AS visitors
         FROM pages GROUP BY t
       )
       SELECT b.t, coalesce(c.views, 0) AS views, coalesce(c.visitors, 0) AS visitors
       FROM b LEFT JOIN counted c USING (t) ORDER BY b.t`,
      { lo: lo.toISOString(), hi: hi.toISOString() },
    )
    return {
      points: rows.map((r): TimePoint => ({ t: r.t, bars: r.views, line: r.visitors })),
      bucketMs: interval.ms,
      interval: interval.name,
      choices: intervalChoices(length),
      compared: false,
    }
  },
  filled: (data) => data.points.length > 0,
  // On the dashboard, the intervals the span allows are links; the one drawn is marked, or, when the automatic one
  // is none of them (6 hours over a week), named ahead of them: no link marked left a reader guessing what a bar is.
  render: (data, view) => {
    const link = view?.settingLink
    const offered = (data.choices as string[]).includes(data.interval)
    const choices =
      link && data.choices.length > 1
        ? linkChoices(
            'Interval',
            'choices',
            data.choices.map((name) => ({
              href: link('interval', name),
              label: intervalLabels[name],
              current: name === data.interval,
            })),
            offered ? '' : `<span class="row-label">Each bar: ${esc(data.interval)}</span>`,
          )
        : ''
    return choices + timeChart(data.points, data.bucketMs, ['page views', 'visitors'])
  },
  csv: (d) =>
    d.compared
      ? {
          header: ['interval_start', 'pageviews', 'visitors', 'compared_visitors'],
          rows: d.points.map((p) => [p.t.toISOString(), p.bars, p.line, p.previous ?? 0]),
        }
      : {
          header: ['interval_start', 'pageviews', 'visitors'],
          rows: d.points.map((p) => [p.t.toISOString(), p.bars, p.line]),
        },
})
