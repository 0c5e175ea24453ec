import { containsFilters, type FilterName, type ReportFilters, setFilters } from '../filters.js'
import { esc, fmtInt, shownLabel } from '../html.js'
import type { Segment } from '../site-segments.js'
import type { TimeRange } from '../time-range.js'
import { linkChoices } from './link-choices.js'
import type { Comparison, Period } from './period.js'
import { segmentLinks } from './segment-links.js'
import { notParam, type ViewQuery, viewLink, viewParams } from './view-link.js'

/** What the dashboard's toolbar shows. */
export interface ControlsInfo {
  query: ViewQuery
  range: TimeRange
  filters: ReportFilters
  /** Visitors of the last five minutes. */
  live: number
  /** The site's saved filter sets (see `site-segments.ts`), each a link. */
  segments?: Segment[]
  /** How often the real-time view reloads itself, unless its reader stopped it (`refresh=off`). */
  refreshSeconds?: number
}

/** Each period's name, as its link says it. */
export const periodNames: [Period, string][] = [
  ['realtime', 'Realtime'],
  ['today', 'Today'],
  ['yesterday', 'Yesterday'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['month', 'This month'],
  ['lastmonth', 'Last month'],
  ['year', 'Year to date'],
  ['12mo', 'Last 12 months'],
  ['all', 'All time'],
]

const comparisonNames: [Comparison, string][] = [
  ['previous', 'Period before'],
  ['year', 'Year before'],
  ['none', 'None'],
]

/** The named period a view shows: its `period`, or with no period and no dates the default view's, the last 30 days. */
export const shownPeriod = (query: ViewQuery) => query.period ?? (query.from || query.to ? undefined : '30d')

/** A date's UTC day, `2026-03-02`, as the range's form shows it. */
export const isoDay = (date: Date) => date.toISOString().slice(0, 10)

/** What a chip says its filter is: `source`, `source is not`, `page contains`, `page does not contain`. */
export const chipLabel = (name: FilterName, not: boolean) => {
  if (name.endsWith('_contains')) {
    const what = name.slice(0, name.indexOf('_'))
    return not ? `${what} does not contain` : `${what} contains`
  }
  const words = name.replace('_', ' ')
  return not ? `${words} is not` : words
}

/** What the "containing" form's choices say. */
const containsLabels: Record<(typeof containsFilters)[number], string> = {
  page: 'Pages',
  entry: 'Entry pages',
  exit: 'Exit pages',
  source: 'Sources',
  campaign: 'Campaigns',
}

/**
 * The dashboard's toolbar, plain links and GET forms so it works with no script: the periods, what the headline is
 * compared with, a custom range, a filter by a part of a path, source or campaign, the active filters as chips (each
 * with a link removing it and one turning "is" into "is not"), and the visitors of the last five minutes.
 */
export function dashboardControls(info: ControlsInfo): string {
  const { query } = info
  const current = shownPeriod(query)
  const ranges = linkChoices(
    'Period',
    'ranges',
    periodNames.map(([period, label]) => ({
      href: viewLink(query, { period, from: undefined, to: undefined }),
      label,
      current: current === period,
    })),
  )
  // All time has nothing before it to compare with; the real-time view is about now.
  const compared = query.compare ?? 'previous'
  const comparisons =
    query.period === 'all' || query.period === 'realtime'
      ? ''
      : linkChoices(
          'Compared with',
          'ranges comparisons',
          comparisonNames.map(([compare, label]) => ({
            href: viewLink(query, { compare: compare === 'previous' ? undefined : compare }),
            label,
            current: compared === compare,
          })),
          '<span class="row-label">Compared with</span>',
        )
  // The real-time view reloads itself; the link stopping it comes first after the periods, before the reader is
  // taken back to the top by a reload.
  const stopped = query.refresh === 'off'
  const refresh =
    query.period === 'realtime' && info.refreshSeconds
      ? `<a class="range refresh" href="${esc(viewLink(query, { refresh: stopped ? undefined : 'off' }))}">${stopped ? `Reload every ${info.refreshSeconds} s` : 'Stop reloading'}</a>`
      : ''
  const segments = info.segments?.length ? segmentLinks(query, info.segments) : ''
  // A form keeps the view's parameters but those it sets as hidden fields.
  const keptBut = (...set: string[]) =>
    viewParams
      .filter((param) => !set.includes(param) && query[param])
      .map((param) => `<input type="hidden" name="${param}" value="${esc(query[param])}">`)
      .join('')
  // The range's form drops the period too, so the dates apply.
  const kept = keptBut('period', 'from', 'to')
  // `to` is exclusive; a bare date given back is read as that whole day, so the field shows the last day covered.
  const lastDay = new Date(info.range.to.getTime() - 1)
  const form = `<form method="get" action="dashboard" class="custom-range">${kept}
<label for="range-from">From</label><input type="date" id="range-from" name="from" value="${isoDay(info.range.from)}" required>
<label for="range-to">to</label><input type="date" id="range-to" name="to" value="${isoDay(lastDay)}" required>
<button type="submit">Apply</button></form>`
  // A filter by a part of a value, which no row offers: the dashboard turns `contains=source&text=goo` into
  // `source_contains=goo` (a form cannot name its field by a choice).
  const containsSearch = `<form method="get" action="dashboard" class="contains-search">${keptBut()}
<label for="contains-in">Filter</label><select id="contains-in" name="contains">${containsFilters
    .map((name) => `<option value="${name}">${containsLabels[name]}</option>`)
    .join('')}</select>
<label for="contains-text">containing</label><input type="search" id="contains-text" name="text" required placeholder="/blog/">
<button type="submit">Filter</button></form>`
  // Each chip removes its filter (×) or turns it around: "is" to "is not" and back, the same value kept.
  const chip = (name: FilterName, value: string, not: boolean) => {
    const param = not ? notParam(name) : name
    const turned = viewLink(query, { [param]: undefined, [not ? name : notParam(name)]: value })
    return `<span class="filter-chip" data-filter="${esc(param)}">${esc(chipLabel(name, not))}: <b>${shownLabel(value)}</b><a class="turn" href="${esc(turned)}" title="${not ? 'Keep only these instead' : 'Leave these out instead'}">${not ? 'is' : 'is not'}</a><a href="${esc(viewLink(query, { [param]: undefined }))}" aria-label="Remove the ${esc(name)} filter" title="Remove">×</a></span>`
  }
  const { not = {}, ...must } = info.filters
  const chips = [
    ...setFilters(must).map(([name, value]) => chip(name, value, false)),
    ...setFilters(not).map(([name, value]) => chip(name, value, true)),
  ].join('')
  return `<section class="card controls" id="controls" aria-label="View">
${ranges}
${refresh}${comparisons}
${segments}
${form}
${containsSearch}
${chips ? `<div class="filters" role="group" aria-label="Filters">${chips}</div>` : ''}
<span class="live" title="Distinct visitors with an event received in the last 5 minutes">${`<span data-metric="live-visitors" data-value="${info.live}">${fmtInt(info.live)}</span>`} ${info.live === 1 ? 'visitor' : 'visitors'} in the last 5 min</span>
</section>`
}
