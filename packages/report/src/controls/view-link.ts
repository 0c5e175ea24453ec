import { activeFilters, type FilterName, filterNames, type ReportFilters } from '../filters.js'

/** The parameter of a filter's "is not" (`not_source=`): the sessions its filter would keep are left out. */
export const notParam = <Name extends FilterName>(name: Name) => `not_${name}` as const

/** The query parameters that are filters (`source`, `not_source`...), in the order links write them. */
export const filterParams = [...filterNames, ...filterNames.map(notParam)] as const

/** The filters a query's parameters set (`not_source=x` as `{ not: { source: 'x' } }`); empty values are none. */
export const queryFilters = (query: Partial<Record<string, string>>): ReportFilters =>
  activeFilters({
    ...Object.fromEntries(filterNames.map((name) => [name, query[name]])),
    not: Object.fromEntries(filterNames.map((name) => [name, query[notParam(name)]])),
  })

/** The dashboard's query parameters that shape a view, in the order links write them. */
export const viewParams = [
  'site',
  'period',
  'from',
  'to',
  'compare',
  'interval',
  'funnel',
  ...filterParams,
  'heatmap',
  'refresh',
] as const

/** The query of the view on screen: every parameter it was asked with. */
export type ViewQuery = Partial<Record<(typeof viewParams)[number], string>>

/**
 * A link to the current view with some parameters changed: `undefined` removes one, the rest are kept, so a click
 * never loses the range or another filter.
 *
 * @param path - the route linked to, relative so a dashboard served under a prefix keeps it (default `dashboard`)
 */
export function viewLink(query: ViewQuery, changes: ViewQuery, path = 'dashboard'): string {
  const params = new URLSearchParams()
  for (const name of viewParams) {
    const value = name in changes ? changes[name] : query[name]
    if (value) params.set(name, value)
  }
  const search = params.toString()
  return search ? `${path}?${search}` : path
}

/** How a panel turns a row into a filter: the link adding `name=value` to the view (absent in a file report). */
export type FilterLink = (name: FilterName, value: string) => string

/** The {@link FilterLink} of a view. */
export const filterLinks =
  (query: ViewQuery): FilterLink =>
  (name, value) =>
    viewLink(query, { [name]: value })

/** The link exporting one panel of the view as CSV: `dashboard.csv?panel=<id>` and the view's own parameters. */
export function csvLink(query: ViewQuery, panel: string): string {
  const params = new URLSearchParams({ panel })
  for (const name of viewParams) if (query[name]) params.set(name, query[name])
  return `dashboard.csv?${params}`
}
