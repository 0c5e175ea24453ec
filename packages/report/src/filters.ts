import type { Db } from './duckdb.js'
import { keepOnlyEvents, viewOnlyEvents } from './load-events.js'
import { channelSql } from './sql/channels.js'
import { deviceDimensions, deviceLabels } from './sql/device-labels.js'

/**
 * What a report can be narrowed to, as a dashboard's clicked row sets it: only the sessions that match every given
 * filter, with all of their events, so each section (pages, funnels, orders) speaks of the same visits.
 */
export interface ReportFilters {
  /** The session's source: its utm_source, or its landing page's referrer host (`(direct)` for none). */
  source?: string
  /** A page path the session viewed. */
  page?: string
  /** The session's campaign (utm_campaign). */
  campaign?: string
  /** The session's channel: `Organic Search`, `Email`... (see `sql/channels.ts`). */
  channel?: string
  /** A goal the session completed: a custom event's name, as the goals panel lists it. */
  goal?: string
  /**
   * A label of the devices panel that a page view of the session carries (see `sql/device-labels.ts`): its country
   * (an ISO code, as the collector writes it), browser, operating system, device type or screen class
   * (Mobile, Tablet, Laptop, Desktop); `(not set)` for page views without one.
   */
  country?: string
  browser?: string
  os?: string
  device?: string
  screen?: string
}

/** Every filter's name, as the dashboard's query string and a clicked row's link write it. */
export const filterNames = [
  'channel',
  'source',
  'campaign',
  'page',
  'goal',
  ...deviceDimensions,
] as const satisfies readonly (keyof ReportFilters)[]

/** The filters actually set (empty strings are no filter). */
export const activeFilters = (filters: ReportFilters = {}): ReportFilters =>
  Object.fromEntries(Object.entries(filters).filter(([, value]) => typeof value === 'string' && value !== ''))

/**
 * Keeps in `events` and `visits` (see `load-visits.ts`) only the sessions that match the filters (and the derived
 * cart events of their visitors). The values are bound parameters: a filter is data, never SQL. `held` says how the
 * events are kept: `copied` into a table of their own (a report's panels each read them), or as a `view` over the
 * loaded rows (one query reads them).
 */
export async function applyFilters(db: Db, filters: ReportFilters, held: 'copied' | 'view' = 'copied'): Promise<void> {
  const active = activeFilters(filters)
  if (Object.keys(active).length === 0) return
  // The visits' sources and campaigns are in their summaries (`load-visits.ts`); the others read lines, the session's
  // page views: one of them on the page, one with the label (a session's page views seldom differ in device labels).
  const byPageViews = [
    ...(active.page ? ['path = $page'] : []),
    ...deviceDimensions.filter((name) => active[name]).map((name) => `${deviceLabels[name]} = $${name}`),
  ]
  // Several conditions need not hold on the same page view: each must hold on one of the session's.
  const viewed =
    byPageViews.length === 0
      ? ''
      : byPageViews.length === 1
        ? `AND session_id IN (SELECT session_id FROM pages WHERE NOT derived AND ${byPageViews[0]})`
        : `AND session_id IN (SELECT session_id FROM pages WHERE NOT derived AND (${byPageViews.join(' OR ')})
             GROUP BY session_id HAVING ${byPageViews.map((condition) => `bool_or(${condition})`).join(' AND ')})`
  // A goal is one of the session's own events (a cart abandoned is the detector's, not the visitor's doing).
  const completed = active.goal
    ? `AND session_id IN (SELECT session_id FROM events WHERE type = 'track' AND NOT derived AND event = $goal)`
    : ''
  // A channel is read from the visit's summary, as the panel reads it; its patterns run only when it is asked for.
  const channel = active.channel ? `AND (${channelSql()}) = $channel` : ''
  const { source, campaign, ...others } = active
  await db.run(
    `CREATE OR REPLACE TABLE kept_sessions AS
     SELECT session_id, visitor FROM all_visits
     WHERE ($source = '' OR $source = utm_source OR $source = source)
       AND ($campaign = '' OR $campaign = campaign.name)
       ${channel}
       ${viewed}
       ${completed}`,
    { source: source ?? '', campaign: campaign ?? '', ...others },
  )
  const kept = `(CASE WHEN derived THEN visitor NOT IN (SELECT visitor FROM kept_sessions)
           ELSE session_id NOT IN (SELECT session_id FROM kept_sessions) END) IS NOT TRUE`
  // The visits kept are whole: their summaries stand as they are.
  await db.run('CREATE OR REPLACE VIEW visits AS SELECT * FROM all_visits SEMI JOIN kept_sessions USING (session_id)')
  if (held === 'view') return viewOnlyEvents(db, kept)
  await keepOnlyEvents(db, kept)
}
