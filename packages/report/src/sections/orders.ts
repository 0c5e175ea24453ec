import { barList } from '../charts/bar-list.js'
import { kpi } from '../charts/kpi.js'
import { hints } from '../hints.js'
import { fmtInt, fmtMoney, plural } from '../html.js'
import { defineSection } from '../section.js'

interface OrderSummary {
  currency: string | null
  orders: number
  revenue: number
  aov: number
  buyers: number
  repeat: number
  items: number
}

/** Orders, revenue and average order value (in the most used currency), with what sold best. */
export const orders = defineSection({
  id: 'orders',
  kind: 'behavioral',
  title: 'Orders and average order value',
  subtitle: 'Completed orders; revenue and average in the currency most orders use',
  hint: hints.orders,
  shop: true,
  async load({ db }) {
    const [summary] = await db.all<OrderSummary>(
      `WITH o AS (
         SELECT *, order_value(properties) AS amount FROM events
         WHERE event = 'Order Completed' AND prop_currency IS NOT DISTINCT FROM
           (SELECT mode(prop_currency) FROM events WHERE event = 'Order Completed')
       ),
       per_buyer AS (SELECT coalesce(userId, visitor) AS buyer, count(*) AS n FROM o GROUP BY buyer)
       SELECT any_value(prop_currency) AS currency, count(*) AS orders, coalesce(sum(amount), 0) AS revenue,
              coalesce(avg(amount), 0) AS aov,
              (SELECT count(*) FROM per_buyer) AS buyers, (SELECT count(*) FROM per_buyer WHERE n > 1) AS repeat,
              coalesce(sum((SELECT sum(coalesce(try_cast(p->>'$.quantity' AS DOUBLE), 1)) FROM (SELECT unnest(from_json(o.properties->'$.products', '["JSON"]')) AS p))), 0) AS items
       FROM o`,
    )
    const products = await db.all<{ name: string; units: number; revenue: number }>(
      `WITH lines AS (
         SELECT unnest(from_json(properties->'$.products', '["JSON"]')) AS p FROM events WHERE event = 'Order Completed'
       )
       SELECT coalesce(p->>'$.name', (p->>'$.product_id'), '?') AS name,
              sum(coalesce(try_cast(p->>'$.quantity' AS DOUBLE), 1)) AS units,
              sum(coalesce(try_cast(p->>'$.quantity' AS DOUBLE), 1) * coalesce(try_cast(p->>'$.price' AS DOUBLE), 0)) AS revenue
       FROM lines GROUP BY ALL ORDER BY revenue DESC, name LIMIT 5`,
    )
    return { summary: summary!, products }
  },
  filled: (d) => d.summary.orders > 0,
  render: ({ summary: s, products }) => `<div class="kpis small">
${kpi('Average order', 'aov', s.aov, fmtMoney(s.aov, s.currency), `${(s.items / Math.max(1, s.orders)).toFixed(1)} items per order`)}
${kpi('Orders', 'aov-orders', s.orders, fmtInt(s.orders), fmtMoney(s.revenue, s.currency))}
${kpi('Repeat buyers', 'repeat-buyers', s.repeat, fmtInt(s.repeat), `of ${plural(s.buyers, 'buyer')}`)}
</div>
<h3>Best sellers</h3>${barList(
    products.map((p) => ({
      label: p.name,
      value: p.revenue,
      shown: fmtMoney(p.revenue, s.currency),
      note: `${fmtInt(p.units)} sold`,
    })),
    'var(--amber)',
  )}`,
  csv: ({ summary: s, products }) => ({
    header: ['kind', 'name', 'value', 'currency'],
    rows: [
      ...(['orders', 'revenue', 'aov', 'buyers', 'repeat', 'items'] as const).map((k) => [
        'summary',
        k,
        s[k],
        s.currency,
      ]),
      ...products.flatMap((p) => [
        ['product units', p.name, p.units, null],
        ['product revenue', p.name, p.revenue, s.currency],
      ]),
    ],
  }),
})
