import type { Db } from './duckdb.js'
import { keepOnlyEvents, viewOnlyEvents } from './load-events.js'
import { matchesPageGoal, pageGoalPattern, pageGoalPrefix } from './site-goals.js'
import { channelSql } from './sql/channels.js'
import { deviceDimensions, deviceLabels, versionFilters } from './sql/device-labels.js'
import { propertyPairsSql } from './sql/property-pairs.js'
import { utmTagged } from './sql/utm-tags.js'

/**
 * What a report can be narrowed to, as a dashboard's clicked row sets it: only the sessions that match every given
 * filter, with all of their events, so each section (pages, funnels, orders) speaks of the same visits.
 */
export interface FilterValues {
  /** The session's source: its utm_source, or its landing page's referrer host (`(direct)` for none). */
  source?: string
  /** A page path the session viewed. */
  page?: string
  /** A part of a page path the session viewed (`/blog/`: any page under it). */
  page_contains?: string
  /** A part of the session's entry or exit page's path. */
  entry_contains?: string
  exit_contains?: string
  /** A part of the session's source (`google`: every Google domain) or campaign name. */
  source_contains?: string
  campaign_contains?: string
  /** The path of the session's first page view (its entry page). */
  entry?: string
  /** The path of the session's last page view (its exit page). */
  exit?: string
  /** The session's campaign (utm_campaign). */
  campaign?: string
  /** The session's first utm_medium. */
  medium?: string
  /** A utm_term one of the session's lines was tagged with (the campaign's `term`: a paid search's keyword). */
  term?: string
  /** A utm_content one of the session's lines was tagged with (the campaign's `content`: which link or ad). */
  content?: string
  /** The session's channel: `Organic Search`, `Email`... (see `sql/channels.ts`). */
  channel?: string
  /** A goal the session completed: a custom event's name, as the goals panel lists it. */
  goal?: string
  /**
   * A custom property one of the session's own events carried, `KEY=VALUE` (split at the first `=`; a number or
   * true/false as its text): `plan=pro`. With a goal filter, it holds on that goal's events, as the goals panel's
   * properties of the goal list it. Values are compared as that panel shows them, cut to 120 characters.
   */
  property?: string
  /**
   * A label of the devices panel that a page view of the session carries (see `sql/device-labels.ts`): its country
   * (an ISO code, as the collector writes it), browser, operating system, device type or screen class
   * (Mobile, Tablet, Laptop, Desktop); `(not set)` for page views without one.
   */
  country?: string
  /** A region or city with its country, as the panel lists them (`Lower Saxony, DE`, `Hanover, Lower Saxony, DE`). */
  region?: string
  city?: string
  browser?: string
  os?: string
  device?: string
  screen?: string
  /** A browser or operating system with its version, as the devices panel lists them (`Chrome 120`, `iOS 17.4`). */
  browser_version?: string
  os_version?: string
}

/** {@link FilterValues} the sessions must match, and those they must not. */
export interface ReportFilters extends FilterValues {
  /** Each leaves out the sessions its filter would keep: `{ not: { source: '(direct)' } }`, every visit with a source. */
  not?: FilterValues
}

/** One filter's name. */
export type FilterName = keyof FilterValues

/** The filters by a part of a value (`source_contains=google`), named by what they read. */
export const containsFilters = ['page', 'entry', 'exit', 'source', 'campaign'] as const

/** Every filter's name, as the dashboard's query string and a clicked row's link write it. */
export const filterNames = [
  'channel',
  'source',
  'campaign',
  'medium',
  'term',
  'content',
  'page',
  'page_contains',
  'entry',
  'entry_contains',
  'exit',
  'exit_contains',
  'source_contains',
  'campaign_contains',
  'goal',
  'property',
  ...deviceDimensions,
  'browser_version',
  'os_version',
] as const satisfies readonly FilterName[]

/** The filters set among `values` (empty strings are no filter), as name and value, in {@link filterNames}' order. */
export const setFilters = (values: FilterValues = {}): [FilterName, string][] =>
  filterNames.flatMap((name) => {
    const value = values[name]
    return typeof value === 'string' && value !== '' ? [[name, value]] : []
  })

const setValues = (values: FilterValues = {}): FilterValues => Object.fromEntries(setFilters(values))

/** The filters actually set (empty strings are no filter), `not` only when it holds one. */
export function activeFilters(filters: ReportFilters = {}): ReportFilters {
  const not = setValues(filters.not)
  return { ...setValues(filters), ...(Object.keys(not).length > 0 ? { not } : {}) }
}

/** Whether any filter is set. */
export const anyFilter = (filters: ReportFilters = {}): boolean => Object.keys(activeFilters(filters)).length > 0

/** The filters that hold on one of a session's page views: on the page, or with the label. */
type PageViewFilter = 'page' | 'page_contains' | keyof typeof deviceLabels | keyof typeof versionFilters
const onPageViews = (name: FilterName): name is PageViewFilter =>
  name === 'page' || name === 'page_contains' || name in deviceLabels || name in versionFilters

/**
 * Whether `column` holds `value` as a plain substring (no pattern characters to escape in what a person typed),
 * whatever the case: a search for "Google" finds the host stored as google.com, and "/Blog" the path /blog/, as a
 * Plausible user expects of "contains".
 */
const containsText = (column: string, value: string) => `contains(lower(${column}), lower(${value}))`

/** A page-view filter's SQL over one page view, its value the parameter `value` (`$page`). */
function onPageView(name: PageViewFilter, value: string): string {
  if (name === 'page') return `path = ${value}`
  if (name === 'page_contains') return containsText('path', value)
  if (name === 'browser_version' || name === 'os_version') return `${versionFilters[name]} = ${value}`
  return `${deviceLabels[name]} = ${value}`
}

/** Why a filter's value cannot be read (a property without its `=`), or undefined when every one can. */
export function filterProblem(filters: ReportFilters = {}): string | undefined {
  const { not = {}, ...must } = filters
  for (const [set, prefix] of [
    [must, ''],
    [not, 'not_'],
  ] as const) {
    const property = set.property
    if (property && !property.includes('=')) {
      return `${prefix}property "${property}" names no value: write KEY=VALUE, as plan=pro`
    }
  }
  return undefined
}

/**
 * A filter's SQL over a visit summary (`all_visits`), its value the parameter `value`; NULL where it cannot say.
 * `goal` is the goal filter's parameter when one is set: a property filter holds on its events then. `pageGoal` says
 * a goal filter's value names a page goal.
 */
function conditionOf(name: FilterName, value: string, goal?: string, pageGoal = false): string {
  // The visits' sources, campaigns, mediums, entry and exit pages and channels are in their summaries
  // (`load-visits.ts`); the others read lines.
  if (name === 'source') return `(${value} = utm_source OR ${value} = source)`
  if (name === 'campaign') return `${value} = campaign.name`
  if (name === 'source_contains') return `(${containsText('utm_source', value)} OR ${containsText('source', value)})`
  if (name === 'campaign_contains') return containsText('campaign.name', value)
  if (name === 'entry_contains') return containsText('entry', value)
  if (name === 'exit_contains') return containsText('exit', value)
  if (name === 'medium') return `${value} = utm_medium`
  if (name === 'entry' || name === 'exit') return `${value} = ${name}`
  if (name === 'term' || name === 'content') {
    return `session_id IN (SELECT session_id FROM (${utmTagged(name)}) WHERE tag = ${value})`
  }
  // A channel's patterns run once per distinct source and tags (`visit_tags`), not once per visit: over a month at
  // ten million events, 36 of them for 1.85 million visits (the patterns per visit took 0.6-0.7 s, this 0.1-0.2 s).
  if (name === 'channel')
    return `EXISTS (SELECT 1 FROM visit_tags t
      WHERE (${channelSql({ host: 't.source', utmSource: 't.utm_source', utmMedium: 't.utm_medium' })}) = ${value}
        AND t.source IS NOT DISTINCT FROM all_visits.source AND t.utm_source IS NOT DISTINCT FROM all_visits.utm_source
        AND t.utm_medium IS NOT DISTINCT FROM all_visits.utm_medium)`
  // A goal is one of the session's own events (a cart abandoned is the detector's, not the visitor's doing), or a
  // page goal's view (`Visit /thank-you`, see `site-goals.ts`): a custom event may be named so too.
  if (name === 'goal') {
    const event = `session_id IN (SELECT session_id FROM events WHERE type = 'track' AND NOT derived AND event = ${value})`
    if (!pageGoal) return event
    const pattern = `substr(${value}, ${pageGoalPrefix.length + 1})`
    return `(${event} OR session_id IN (SELECT session_id FROM pages WHERE NOT derived AND ${matchesPageGoal('path', pattern)}))`
  }
  if (name === 'property') {
    // As the goals panel lists them (`sql/property-pairs.ts`), key and value cut to what it shows.
    const at = `strpos(${value}, '=')`
    return `session_id IN (SELECT session_id FROM (${propertyPairsSql(goal ? `AND event = ${goal}` : '')})
      WHERE property = left(${value}, ${at} - 1) AND value = substr(${value}, ${at} + 1))`
  }
  return `session_id IN (SELECT session_id FROM pages WHERE NOT derived AND ${onPageView(name, value)})`
}

/**
 * Whether the filters kept most of the visits: then a copy of their events costs the report more than its panels
 * reading them through the filter. At ten million events, a month's view filtered to 83% of its events (`not_source=`)
 * took 13.7-15.3 s with a copy and 12.7-13.5 s without; filtered to 17% (`source=`) or 7% (`channel=`), 5.5-7.0 s
 * with and 7.2-8.0 s without (two runs each, alternating). Without a copy the view's peak memory is lower: 0.5-0.9 GB
 * against 0.9-1.0 GB.
 */
async function mostKept(db: Db): Promise<boolean> {
  const [counts] = await db.all<{ kept: number; visits: number }>(
    'SELECT (SELECT count(*) FROM kept_sessions) AS kept, (SELECT count(*) FROM all_visits) AS visits',
  )
  return counts !== undefined && counts.kept * 2 > counts.visits
}

/** The filters but for those naming what was done, a goal and its property: what a goal's conversion is a share of. */
export function beyondGoal(filters: ReportFilters = {}): ReportFilters {
  const { goal: _goal, property: _property, ...rest } = activeFilters(filters)
  return rest
}

/**
 * Makes `kept_sessions` the sessions (and their visitors) of `all_visits` that match the filters, as bound parameters:
 * a filter is data, never SQL. `pageGoals` are the site's (a goal filter naming one keeps the visits that viewed it).
 * Returns false, making nothing, when no filter is set.
 */
export async function keepSessions(
  db: Db,
  filters: ReportFilters,
  pageGoals: readonly string[] = [],
): Promise<boolean> {
  // A goal names a page goal only when the site names that page: a pattern from the URL alone is no SQL's business.
  const isPageGoal = (value: string) => pageGoals.includes(pageGoalPattern(value) ?? '')
  const { not = {}, ...must } = activeFilters(filters)
  if (setFilters(must).length + setFilters(not).length === 0) return false
  const problem = filterProblem(filters)
  if (problem) throw new Error(problem)
  // A property filter holds on the goal's events, when the goal is an event (a page goal's views carry none).
  const goal = must.goal && !isPageGoal(must.goal) ? '$goal' : undefined
  const params: Record<string, string> = {}
  const conditions: string[] = []
  // Several filters on page views need not hold on the same page view: each must hold on one of the session's
  // (a session's page views seldom differ in device labels, but a visit may change country halfway).
  const viewed = setFilters(must).flatMap(([name]) => (onPageViews(name) ? [onPageView(name, `$${name}`)] : []))
  for (const [name, value] of setFilters(must)) {
    params[name] = value
    if (viewed.length < 2 || !onPageViews(name))
      conditions.push(conditionOf(name, `$${name}`, goal, name === 'goal' && isPageGoal(value)))
  }
  if (viewed.length >= 2) {
    conditions.push(`session_id IN (SELECT session_id FROM pages WHERE NOT derived AND (${viewed.join(' OR ')})
      GROUP BY session_id HAVING ${viewed.map((condition) => `bool_or(${condition})`).join(' AND ')})`)
  }
  // Made apart, or DuckDB would test the channel's patterns on each visit before taking the distinct ones.
  if (must.channel || not.channel)
    await db.run('CREATE OR REPLACE TABLE visit_tags AS SELECT DISTINCT source, utm_source, utm_medium FROM all_visits')
  // "Is not": a visit without a campaign, a utm source or a session id is kept, as it is none of those. A goal names
  // a page goal here too only when the site lists it, or "is not" would leave out the visits a page matched.
  for (const [name, value] of setFilters(not)) {
    params[`not_${name}`] = value
    conditions.push(
      `NOT coalesce(${conditionOf(name, `$not_${name}`, goal, name === 'goal' && isPageGoal(value))}, false)`,
    )
  }
  await db.run(
    `CREATE OR REPLACE TABLE kept_sessions AS
     SELECT session_id, visitor FROM all_visits WHERE ${conditions.join('\n AND ')}`,
    params,
  )
  return true
}

/**
 * Keeps in `events` and `visits` (see `load-visits.ts`) only the sessions that match the filters (and the derived
 * cart events of their visitors), as {@link keepSessions} finds them. `held` says how the events are kept: `copied`
 * into a table of their own (a report's panels each read them) unless most are kept, or as a `view` over the loaded
 * rows (one query reads them).
 */
export async function applyFilters(
  db: Db,
  filters: ReportFilters,
  held: 'copied' | 'view' = 'copied',
  pageGoals: readonly string[] = [],
): Promise<void> {
  if (!(await keepSessions(db, filters, pageGoals))) return
  const kept = `(CASE WHEN derived THEN visitor NOT IN (SELECT visitor FROM kept_sessions)
           ELSE session_id NOT IN (SELECT session_id FROM kept_sessions) END) IS NOT TRUE`
  // The visits kept are whole: their summaries stand as they are.
  await db.run('CREATE OR REPLACE VIEW visits AS SELECT * FROM all_visits SEMI JOIN kept_sessions USING (session_id)')
  if (held === 'view' || (await mostKept(db))) return viewOnlyEvents(db, kept)
  await keepOnlyEvents(db, kept)
}
