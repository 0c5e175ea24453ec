import { sqlList } from '../compaction/sql.js'
import type { Db } from '../duckdb.js'
import { identifiedSql } from './identified.js'

/** The headline figures of a range. */
export interface HeadlineFigures {
  visitors: number
  sessions: number
  pageviews: number
  bounces: number
  /** Mean length of the visits that did not bounce, first event to last; null when every visit bounced. */
  durationMs: number | null
  orders: number
  revenue: number | null
  currency: string | null
  converting: number
  identified: number
  /** Cart and order events: whether the site is a shop at all. */
  shopEvents: number
}

const shopEvents = ['Product Added', 'Product Removed', 'Cart Viewed', 'Checkout Started', 'Order Completed']

/**
 * The headline figures of whatever range `db` holds (`events`, and its `visits`): the one query both the period and
 * the one before run.
 */
export async function headlineFigures(db: Db): Promise<HeadlineFigures> {
  const [row] = await db.all<HeadlineFigures>(
    // The orders' revenue in a query of its own, filtered in its WHERE: as an aggregate's FILTER over every row, the
    // compacted days' scan decoded every row's properties to sum those of a few orders. Likewise the page views'
    // and the shop's counts each read only their own rows, which the compacted days (sorted by kind of event) find
    // without reading the others. The visits are read from their summaries (`load-visits.ts`): a visit bounced when
    // it had one page view and nothing done (as Plausible counts), and lasted from its first line to its last.
    `WITH main AS (SELECT mode(prop_currency) AS currency FROM events WHERE event = 'Order Completed'),
     v AS (
       SELECT views = 1 AND actions = 0 AS bounced, epoch_ms(last_at) - epoch_ms(first_at) AS duration_ms
       FROM visits WHERE views > 0
     ),
     viewed AS (SELECT count(DISTINCT visitor_key) AS visitors, count(*) AS pageviews FROM events WHERE type = 'page'),
     shop AS (
       SELECT count(*) FILTER (event = 'Order Completed') AS orders,
              count(DISTINCT session_id) FILTER (event = 'Order Completed' AND NOT derived) AS converting,
              count(*) AS shopEvents
       FROM events WHERE event IN (${sqlList(shopEvents)})
     )
     SELECT
       viewed.visitors,
       (SELECT count(*) FROM v) AS sessions,
       viewed.pageviews,
       (SELECT count(*) FILTER (bounced) FROM v) AS bounces,
       (SELECT avg(duration_ms) FILTER (NOT bounced) FROM v) AS durationMs,
       shop.orders,
       (SELECT sum(order_value(properties)) FROM events
         WHERE event = 'Order Completed' AND prop_currency IS NOT DISTINCT FROM (SELECT currency FROM main)) AS revenue,
       (SELECT currency FROM main) AS currency,
       shop.converting,
       (${identifiedSql}) AS identified,
       shop.shopEvents
     FROM viewed, shop`,
  )
  return row!
}
