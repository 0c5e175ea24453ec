import { barList } from '../charts/bar-list.js'
import { kpi } from '../charts/kpi.js'
import { hints } from '../hints.js'
import { fmtDuration, fmtInt, plural } from '../html.js'
import { defineSection } from '../section.js'

interface Engagement {
  views: number
  avgMs: number
  medianMs: number
  avgScroll: number
  deep: number
}

/**
 * Engaged time and scroll depth per page view: `Page Engaged` reports add up per `page_view_id` (each carries the
 * time since the previous report), the deepest scroll wins. The page is that of the page event the id names: in a
 * single-page app the last report of a view is sent as the next view starts, when the address is already the next
 * page's.
 */
export const engagement = defineSection({
  id: 'engagement',
  kind: 'behavioral',
  title: 'Engagement',
  subtitle: 'Time a page was visible and in use, and how far down people scrolled',
  hint: hints.fullTag,
  async load({ db }) {
    // Each page view's reports are summed by the page view's key (`sql/page-view-key.ts`), not its id, with the page
    // they were sent from; the page view itself is looked up only for the list by page, below. Grouped with the page
    // views, to take each one's path, the reports took 1.7–2.2 s at ten million events; grouped alone 0.7 s, and the
    // list by page's join 0.4–0.5 s.
    await db.run(
      `CREATE OR REPLACE TABLE engaged AS
       SELECT view_key AS view, any_value(ctx_page_path) AS sent_from,
              sum(coalesce(try_cast(prop_engaged_ms AS DOUBLE), 0)) AS ms,
              max(coalesce(try_cast(prop_max_scroll_percent AS DOUBLE), 0)) AS scroll
       FROM events WHERE event = 'Page Engaged' GROUP BY view_key`,
    )
    const [summary] = await db.all<Engagement>(
      `SELECT count(*) AS views, coalesce(avg(ms), 0) AS avgMs, coalesce(median(ms), 0) AS medianMs,
              coalesce(avg(scroll), 0) AS avgScroll, count(*) FILTER (scroll >= 75) AS deep FROM engaged`,
    )
    const depth = await db.all<{ bucket: string; views: number }>(
      `SELECT b.bucket, count(e.view) AS views
       FROM (VALUES (0, '0–25%'), (1, '25–50%'), (2, '50–75%'), (3, '75–100%')) b(i, bucket)
       LEFT JOIN engaged e ON least(3, floor(e.scroll / 25)) = b.i GROUP BY b.i, b.bucket ORDER BY b.i`,
    )
    // A view's page is that of its page view (one row per key: a page view's messageId is unique in the range, and
    // its key but for the odds in page-view-key.ts), else, for a page view outside the range, the page its reports
    // were sent from.
    const pages = await db.all<{ path: string; ms: number; views: number }>(
      `SELECT coalesce(p.path, e.sent_from, '?') AS path, avg(e.ms) AS ms, count(*) AS views
       FROM engaged e LEFT JOIN pages p ON p.view_key = e.view
       GROUP BY ALL ORDER BY views DESC, ms DESC, path LIMIT 5`,
    )
    return { summary: summary!, depth, pages }
  },
  filled: (d) => d.summary.views > 0,
  render: ({ summary: s, depth, pages }) => `<div class="kpis small">
${kpi('Engaged time', 'engaged-avg-ms', s.avgMs, fmtDuration(s.avgMs), `median ${fmtDuration(s.medianMs)} per page view`)}
${kpi('Scroll depth', 'scroll-avg', s.avgScroll, `${Math.round(s.avgScroll)}%`, `${fmtInt(s.deep)} of ${plural(s.views, 'view')} read to 75%+`)}
</div>
<div class="split">
<div><h3>Deepest scroll</h3>${barList(
    depth.map((d) => ({ label: d.bucket, value: d.views, metric: `scroll:${d.bucket}` })),
    'var(--violet)',
  )}</div>
<div><h3>Time by page</h3>${barList(
    pages.map((p) => ({
      label: p.path,
      value: p.ms,
      shown: fmtDuration(p.ms),
      note: plural(p.views, 'view'),
      metric: `engaged-ms:${p.path}`,
    })),
    'var(--teal)',
  )}</div>
</div>`,
  csv: ({ pages }) => ({ header: ['path', 'mean_ms', 'views'], rows: pages.map((p) => [p.path, p.ms, p.views]) }),
})
