import { change } from '../charts/change.js'
import { kpi } from '../charts/kpi.js'
import { hints } from '../hints.js'
import { fmtDuration, fmtInt, fmtMoney, fmtPct, share } from '../html.js'
import { defineSection } from '../section.js'
import type { HeadlineFigures } from '../sql/headline.js'

interface Overview extends HeadlineFigures {
  /** The same figures over the same-length period just before, when the report compares. */
  previous?: HeadlineFigures
}

/** Page views per visit, Plausible's "views per visit": 0 without a visit. */
const viewsPerVisit = (d: HeadlineFigures) => (d.sessions > 0 ? d.pageviews / d.sessions : 0)

/** Each headline figure by its `data-metric` name, as the KPI strip and the CSV give it. */
const headline = (d: HeadlineFigures): [string, number][] => [
  ['visitors', d.visitors],
  ['sessions', d.sessions],
  ['pageviews', d.pageviews],
  ['views-per-visit', viewsPerVisit(d)],
  ['bounce-rate', share(d.bounces, d.sessions)],
  ['visit-duration-ms', d.durationMs ?? 0],
  ...(d.shopEvents > 0
    ? ([
        ['orders', d.orders],
        ['revenue', d.revenue ?? 0],
        ['conversion', share(d.converting, d.sessions)],
      ] as [string, number][])
    : []),
]

/**
 * The headline figures: visitors, visits, page views, views per visit, bounce rate and visit duration (Plausible's
 * definitions: a bounce is a visit with one page view and nothing done; the duration is the mean, first event to
 * last, of the visits that did not bounce), and for a shop its orders, revenue and conversion.
 */
export const overview = defineSection({
  id: 'overview',
  kind: 'interaction',
  title: 'At a glance',
  subtitle: 'The period in a few numbers',
  hint: hints.tag,
  span: 2,
  async load(context): Promise<Overview> {
    const { previous } = context
    const now = await context.headline()
    return previous ? { ...now, previous } : now
  },
  filled: (data) => data.pageviews > 0,
  render: (d) => {
    const before = d.previous ? new Map(headline(d.previous)) : undefined
    const now = new Map(headline(d))
    // The change beside each figure, when the report compares: a lower bounce rate is the good direction.
    const vs = (name: string) =>
      before ? change(name, now.get(name) ?? 0, before.get(name) ?? 0, name === 'bounce-rate') : ''
    const shop =
      d.shopEvents > 0
        ? [
            kpi('Orders', 'orders', d.orders, fmtInt(d.orders), '', vs('orders')),
            kpi('Revenue', 'revenue', d.revenue ?? 0, fmtMoney(d.revenue ?? 0, d.currency), '', vs('revenue')),
            kpi(
              'Conversion',
              'conversion',
              share(d.converting, d.sessions),
              fmtPct(share(d.converting, d.sessions)),
              'visits with an order',
              vs('conversion'),
            ),
          ]
        : []
    return `<div class="kpis">${[
      kpi('Visitors', 'visitors', d.visitors, fmtInt(d.visitors), `${fmtInt(d.identified)} identified`, vs('visitors')),
      kpi('Visits', 'sessions', d.sessions, fmtInt(d.sessions), '', vs('sessions')),
      kpi('Page views', 'pageviews', d.pageviews, fmtInt(d.pageviews), '', vs('pageviews')),
      kpi(
        'Views per visit',
        'views-per-visit',
        viewsPerVisit(d),
        viewsPerVisit(d).toFixed(2),
        'page views ÷ visits',
        vs('views-per-visit'),
      ),
      kpi(
        'Bounce rate',
        'bounce-rate',
        share(d.bounces, d.sessions),
        fmtPct(share(d.bounces, d.sessions)),
        'visits with one page and nothing done',
        vs('bounce-rate'),
      ),
      kpi(
        'Visit duration',
        'visit-duration-ms',
        d.durationMs ?? 0,
        d.durationMs === null ? '—' : fmtDuration(d.durationMs),
        'mean, visits that did not bounce',
        vs('visit-duration-ms'),
      ),
      ...shop,
    ].join('')}</div>`
  },
  csv: (d) => {
    const before = d.previous ? new Map(headline(d.previous)) : undefined
    return {
      header: before ? ['metric', 'value', 'previous'] : ['metric', 'value'],
      rows: headline(d).map(([name, value]) => (before ? [name, value, before.get(name) ?? 0] : [name, value])),
    }
  },
})
