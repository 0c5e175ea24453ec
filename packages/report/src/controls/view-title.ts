import { type ReportFilters, setFilters } from '../filters.js'
import { plainLabel } from '../label.js'
import type { TimeRange } from '../time-range.js'
import { chipLabel, isoDay, periodNames, shownPeriod } from './controls.js'
import type { ViewQuery } from './view-link.js'

/**
 * A dashboard view in words, for its page title: the period by its name (a custom range by its days) and each filter
 * as its chip says it, "Last 7 days · source: Google · page is not: /admin". Every view had the same title, so a
 * browser's tabs, history and bookmarks, and a screen reader's first words, could not tell two views apart
 * (WCAG 2.4.2).
 */
export function viewTitle(query: ViewQuery, range: TimeRange, filters: ReportFilters): string {
  const named = periodNames.find(([name]) => name === shownPeriod(query))?.[1]
  // `to` is exclusive: the title names the last day covered, as the range's form does.
  const days = `${isoDay(range.from)} → ${isoDay(new Date(range.to.getTime() - 1))}`
  const { not = {}, ...must } = filters
  const chips = [
    ...setFilters(must).map(([name, value]) => `${chipLabel(name, false)}: ${plainLabel(value)}`),
    ...setFilters(not).map(([name, value]) => `${chipLabel(name, true)}: ${plainLabel(value)}`),
  ]
  return [named ?? days, ...chips].join(' · ')
}
