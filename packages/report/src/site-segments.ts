import { ConfigError, type SiteConfig } from '@spoor/protocol'
import { filterParams, queryFilters } from './controls/view-link.js'
import { filterNames, filterProblem } from './filters.js'

/** A set of filters a site saves under a name, as the dashboard's query string writes them. */
export interface Segment {
  name: string
  /** The filters' parameters (`source=www.google.com&screen=Mobile`), `not_` ones included. */
  filters: [string, string][]
}

const mostSegments = 20
const longestName = 80
/**
 * The segments of a site's config (`sites[].segments`: `[{"name": "Google on phones", "filters":
 * "source=www.google.com&screen=Mobile"}]`), checked: up to 20, each a name and the filters of a dashboard link's
 * query (copied from its address bar), filters only (no period: a segment is who, not when).
 *
 * @param at - where the site sits in the config (`sites[0]`), for the messages
 * @throws {ConfigError} naming the first segment that cannot be read and why
 */
export function siteSegments(site: SiteConfig, at = 'site'): Segment[] {
  const { segments } = site
  if (segments === undefined) return []
  const example = '[{"name": "Google on phones", "filters": "source=www.google.com&screen=Mobile"}]'
  if (!Array.isArray(segments)) throw new ConfigError(`${at}.segments: must be a list like ${example}`)
  if (segments.length > mostSegments) {
    throw new ConfigError(`${at}.segments: ${segments.length} segments: a site may have ${mostSegments} at most`)
  }
  return segments.map((segment, i) => {
    const where = `${at}.segments[${i}]`
    const { name, filters } = (typeof segment === 'object' && segment !== null ? segment : {}) as Record<
      string,
      unknown
    >
    if (typeof name !== 'string' || name.length === 0 || name.length > longestName) {
      throw new ConfigError(`${where}.name must be a text of 1 to ${longestName} characters`)
    }
    if (typeof filters !== 'string') throw new ConfigError(`${where}.filters must be a query string like ${example}`)
    const params = [...new URLSearchParams(filters)].filter(([, value]) => value !== '')
    const stray = params.find(([param]) => !(filterParams as readonly string[]).includes(param))
    if (stray) throw new ConfigError(`${where}.filters: "${stray[0]}" is not a filter (${filterNames.join(', ')})`)
    if (params.length === 0) throw new ConfigError(`${where}.filters names no filter`)
    // A value the dashboard would refuse (a property without its `=`) is refused here, before anyone clicks it.
    const problem = filterProblem(queryFilters(Object.fromEntries(params)))
    if (problem) throw new ConfigError(`${where}.filters: ${problem}`)
    return { name, filters: params }
  })
}
