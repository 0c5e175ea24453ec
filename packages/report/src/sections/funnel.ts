import { sqlList } from '../compaction/sql.js'
import { hints } from '../hints.js'
import { esc, fmtInt, fmtPct, share } from '../html.js'
import { defineSection } from '../section.js'

const steps = [
  ['Product Viewed', 'Viewed a product'],
  ['Product Added', 'Added to cart'],
  ['Checkout Started', 'Started checkout'],
  ['Order Completed', 'Ordered'],
] as const

/**
 * The shop funnel by visitor: each step counts the visitors who reached it after every step before it (the first
 * time they did each).
 */
export const funnel = defineSection({
  id: 'funnel',
  kind: 'behavioral',
  title: 'Shop funnel',
  subtitle: 'Visitors reaching each step, in order',
  hint: hints.shop,
  shop: true,
  async load({ db }) {
    // Only the steps' events are grouped: a visitor with none of them counts at no step, and the compacted days,
    // sorted by event, skip every row group of page views, engagement and clicks.
    const [row] = await db.all<{ s0: number; s1: number; s2: number; s3: number }>(
      `WITH firsts AS (
         SELECT visitor,
           min(timestamp) FILTER (event = 'Product Viewed') AS t0,
           min(timestamp) FILTER (event = 'Product Added') AS t1,
           min(timestamp) FILTER (event = 'Checkout Started') AS t2,
           min(timestamp) FILTER (event = 'Order Completed') AS t3
         FROM events WHERE NOT derived AND event IN (${sqlList(steps.map(([event]) => event))}) GROUP BY visitor
       )
       SELECT count(t0) AS s0,
              count(*) FILTER (t1 >= t0) AS s1,
              count(*) FILTER (t1 >= t0 AND t2 >= t1) AS s2,
              count(*) FILTER (t1 >= t0 AND t2 >= t1 AND t3 >= t2) AS s3
       FROM firsts`,
    )
    return steps.map(([event, label], i) => ({ event, label, visitors: row ? row[`s${i}` as 's0'] : 0 }))
  },
  filled: (d) => d[0]!.visitors > 0,
  render: (d) => {
    const top = Math.max(1, d[0]!.visitors)
    return `<ol class="funnel">${d
      .map(
        (s, i) => `<li>
<div class="funnel-label">${esc(s.label)}<small>${esc(s.event)}</small></div>
<div class="funnel-bar"><span style="width:${Math.max(2, (s.visitors / top) * 100).toFixed(1)}%"></span></div>
<div class="value"><b data-metric="funnel:${esc(s.event)}" data-value="${s.visitors}">${fmtInt(s.visitors)}</b>${i ? `<small>${fmtPct(share(s.visitors, d[i - 1]!.visitors))} of previous</small>` : ''}</div>
</li>`,
      )
      .join('')}</ol>`
  },
  csv: (d) => ({ header: ['step', 'event', 'visitors'], rows: d.map((s) => [s.label, s.event, s.visitors]) }),
})
