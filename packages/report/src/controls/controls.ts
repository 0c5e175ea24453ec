import type { ReportFilters } from '../filters.js'
import { esc, fmtInt } from '../html.js'
import type { TimeRange } from '../time-range.js'
import type { Period } from './period.js'
import { type ViewQuery, viewLink, viewParams } from './view-link.js'

/** What the dashboard's toolbar shows. */
export interface ControlsInfo {
  query: ViewQuery
  range: TimeRange
  filters: ReportFilters
  /** Visitors of the last five minutes. */
  live: number
}

const names: [Period, string][] = [
  ['today', 'Today'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['month', 'This month'],
]

const isoDay = (date: Date) => date.toISOString().slice(0, 10)

/**
 * The dashboard's toolbar, plain links and a GET form so it works with no script: the periods, a custom range, the
 * active filters as chips (each with a link removing it), and the visitors of the last five minutes.
 */
export function dashboardControls(info: ControlsInfo): string {
  const { query } = info
  // No period and no dates is the default view, the last 30 days.
  const current = query.period ?? (query.from || query.to ? undefined : '30d')
  const ranges = names
    .map(
      ([period, label]) =>
        `<a class="range" href="${esc(viewLink(query, { period, from: undefined, to: undefined }))}"${current === period ? ' aria-current="page"' : ''}>${label}</a>`,
    )
    .join('')
  // The form keeps the view's other parameters as hidden fields, and drops the period so the dates apply.
  const kept = viewParams
    .filter((name) => name !== 'period' && name !== 'from' && name !== 'to' && query[name])
    .map((name) => `<input type="hidden" name="${name}" value="${esc(query[name])}">`)
    .join('')
  // `to` is exclusive; a bare date given back is read as that whole day, so the field shows the last day covered.
  const lastDay = new Date(info.range.to.getTime() - 1)
  const form = `<form method="get" action="dashboard" class="custom-range">${kept}
<label for="range-from">From</label><input type="date" id="range-from" name="from" value="${isoDay(info.range.from)}" required>
<label for="range-to">to</label><input type="date" id="range-to" name="to" value="${isoDay(lastDay)}" required>
<button type="submit">Apply</button></form>`
  const chips = Object.entries(info.filters)
    .map(
      ([name, value]) =>
        `<span class="filter-chip" data-filter="${esc(name)}">${esc(name)}: <b>${esc(value)}</b><a href="${esc(viewLink(query, { [name]: undefined }))}" aria-label="Remove the ${esc(name)} filter" title="Remove">×</a></span>`,
    )
    .join('')
  return `<section class="card controls" id="controls" aria-label="View">
<nav class="ranges" aria-label="Period">${ranges}</nav>
${form}
${chips ? `<div class="filters" aria-label="Filters">${chips}</div>` : ''}
<span class="live" title="Distinct visitors with an event received in the last 5 minutes">${`<span data-metric="live-visitors" data-value="${info.live}">${fmtInt(info.live)}</span>`} ${info.live === 1 ? 'visitor' : 'visitors'} in the last 5 min</span>
</section>`
}
