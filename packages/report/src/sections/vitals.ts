import { sqlList } from '../compaction/sql.js'
import { hints } from '../hints.js'
import { esc, fmtInt, fmtPct, plural, share } from '../html.js'
import { defineSection } from '../section.js'

/** An hour, in ms: no page waits that long for a paint, a byte or an answer to a tap and is still measured. */
const hourMs = 3_600_000

/**
 * Core Web Vitals thresholds (good ≤, poor >), judged at the 75th percentile, as web.dev defines them, and the
 * most a browser could have measured (`most`): a report outside 0 to `most` is not a measurement, and is left out
 * as web-vitals leaves out a negative TTFB or one past the page's own age. A layout shift scores at most 1, one per
 * frame, and CLS adds those of a 5-second window: 5,000 would take a thousand frames a second.
 */
export const vitalThresholds = {
  LCP: { good: 2500, poor: 4000, most: hourMs, unit: 'ms', label: 'Largest Contentful Paint' },
  INP: { good: 200, poor: 500, most: hourMs, unit: 'ms', label: 'Interaction to Next Paint' },
  CLS: { good: 0.1, poor: 0.25, most: 5000, unit: '', label: 'Cumulative Layout Shift' },
  FCP: { good: 1800, poor: 3000, most: hourMs, unit: 'ms', label: 'First Contentful Paint' },
  TTFB: { good: 800, poor: 1800, most: hourMs, unit: 'ms', label: 'Time to First Byte' },
} as const

type VitalName = keyof typeof vitalThresholds

interface VitalRow {
  name: VitalName
  p75: number
  samples: number
  good: number
  poor: number
}

const show = (name: VitalName, value: number) => (name === 'CLS' ? value.toFixed(2) : `${fmtInt(value)} ms`)
const rating = (name: VitalName, value: number) => {
  const t = vitalThresholds[name]
  return value <= t.good ? 'good' : value > t.poor ? 'poor' : 'needs-improvement'
}

/**
 * Core Web Vitals at p75. A metric reports again as the page lives (CLS and INP on each hide), so only the latest
 * report of each metric `id` counts.
 */
export const vitals = defineSection({
  id: 'vitals',
  kind: 'performance',
  title: 'Core Web Vitals',
  subtitle: '75th percentile of each metric over page views, against the good / poor thresholds',
  hint: hints.fullTag,
  span: 2,
  async load({ db }) {
    const cases = (field: 'good' | 'poor' | 'most') =>
      Object.entries(vitalThresholds)
        .map(([name, t]) => `WHEN '${name}' THEN ${t[field]}`)
        .join(' ')
    // A value counts as a JSON number only (jnum alone reads the text "NaN" or "Infinity" as one), within what a
    // browser could have measured; of an id's reports, the latest such one counts.
    const rows = await db.all<VitalRow>(
      `WITH reported AS (
         SELECT (properties->>'$.name') AS name, coalesce(properties->>'$.id', messageId) AS id, timestamp,
                CASE WHEN json_type(properties->'$.value') IN ('UBIGINT', 'BIGINT', 'DOUBLE')
                     THEN jnum(properties, '$.value') END AS value
         FROM events WHERE event = 'Web Vital'
       ),
       latest AS (
         SELECT name, arg_max(value, timestamp) AS value FROM reported
         WHERE value BETWEEN 0 AND CASE name ${cases('most')} END
         GROUP BY name, id
       )
       SELECT name, quantile_cont(value, 0.75) AS p75, count(*) AS samples,
              count(*) FILTER (value <= CASE name ${cases('good')} END) AS good,
              count(*) FILTER (value > CASE name ${cases('poor')} END) AS poor
       FROM latest WHERE name IN (${sqlList(Object.keys(vitalThresholds))}) AND value IS NOT NULL
       GROUP BY name`,
    )
    const order = Object.keys(vitalThresholds)
    return rows.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name))
  },
  filled: (rows) => rows.length > 0,
  render: (rows) =>
    `<div class="vitals">${rows
      .map((r) => {
        const t = vitalThresholds[r.name]
        const verdict = rating(r.name, r.p75)
        const middle = r.samples - r.good - r.poor
        return `<div class="vital ${verdict}">
<div class="vital-name">${esc(r.name)}<small>${esc(t.label)}</small></div>
<div class="vital-value" data-metric="vital-p75:${esc(r.name)}" data-value="${r.p75}">${show(r.name, r.p75)}</div>
<div class="vital-verdict">${verdict.replace('-', ' ')}</div>
<div class="vital-split"><span class="good" style="width:${(share(r.good, r.samples) * 100).toFixed(1)}%"></span><span class="ni" style="width:${(share(middle, r.samples) * 100).toFixed(1)}%"></span><span class="poor" style="width:${(share(r.poor, r.samples) * 100).toFixed(1)}%"></span></div>
<div class="vital-note">${fmtPct(share(r.good, r.samples))} good · ${plural(r.samples, 'sample')}<br>good ≤ ${show(r.name, t.good)} · poor &gt; ${show(r.name, t.poor)}</div>
</div>`
      })
      .join('')}</div>`,
  csv: (rows) => ({
    header: ['metric', 'p75', 'samples', 'good', 'poor'],
    rows: rows.map((r) => [r.name, r.p75, r.samples, r.good, r.poor]),
  }),
})
