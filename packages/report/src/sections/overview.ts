import { kpi } from '../charts/kpi.js'
import { fmtInt, fmtMoney, fmtPct, share } from '../html.js'
import { defineSection } from '../section.js'

interface Overview {
  visitors: number
  sessions: number
  pageviews: number
  orders: number
  revenue: number | null
  currency: string | null
  converting: number
  identified: number
}

/** The headline figures across the four kinds of data. */
export const overview = defineSection({
  id: 'overview',
  kind: 'interaction',
  title: 'At a glance',
  subtitle: 'The period in six numbers',
  feed: 'page events and Order Completed',
  span: 2,
  async load({ db }) {
    const [row] = await db.all<Overview>(
      `WITH main AS (SELECT mode(properties->>'$.currency') AS currency FROM events WHERE event = 'Order Completed')
       SELECT
         count(DISTINCT visitor) FILTER (type = 'page') AS visitors,
         count(DISTINCT session_id) FILTER (type = 'page') AS sessions,
         count(*) FILTER (type = 'page') AS pageviews,
         count(*) FILTER (event = 'Order Completed') AS orders,
         sum(order_value(properties)) FILTER (event = 'Order Completed' AND (properties->>'$.currency') IS NOT DISTINCT FROM (SELECT currency FROM main)) AS revenue,
         (SELECT currency FROM main) AS currency,
         count(DISTINCT session_id) FILTER (event = 'Order Completed' AND NOT derived) AS converting,
         count(DISTINCT userId) FILTER (NOT derived) AS identified
       FROM events`,
    )
    return row!
  },
  filled: (data) => data.pageviews > 0,
  render: (d) =>
    `<div class="kpis">${[
      kpi('Visitors', 'visitors', d.visitors, fmtInt(d.visitors), `${fmtInt(d.identified)} identified`),
      kpi(
        'Sessions',
        'sessions',
        d.sessions,
        fmtInt(d.sessions),
        `${(d.pageviews / Math.max(1, d.sessions)).toFixed(1)} pages each`,
      ),
      kpi('Page views', 'pageviews', d.pageviews, fmtInt(d.pageviews)),
      kpi('Orders', 'orders', d.orders, fmtInt(d.orders)),
      kpi('Revenue', 'revenue', d.revenue ?? 0, fmtMoney(d.revenue ?? 0, d.currency)),
      kpi(
        'Conversion',
        'conversion',
        share(d.converting, d.sessions),
        fmtPct(share(d.converting, d.sessions)),
        'sessions with an order',
      ),
    ].join('')}</div>`,
})
