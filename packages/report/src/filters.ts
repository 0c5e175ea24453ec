import type { Db } from './duckdb.js'
import { keepOnlyEvents, viewOnlyEvents } from './load-events.js'

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
}

/** The filters actually set (empty strings are no filter). */
export const activeFilters = (filters: ReportFilters = {}): ReportFilters =>
  Object.fromEntries(Object.entries(filters).filter(([, value]) => typeof value === 'string' && value !== ''))

/**
 * Keeps in `events` only the sessions that match the filters (and the derived cart events of their visitors). The
 * values are bound parameters: a filter is data, never SQL. `held` says how: `copied` into a table of their own (a
 * report's panels each read them), or as a `view` over the loaded rows (one query reads them).
 */
export async function applyFilters(db: Db, filters: ReportFilters, held: 'copied' | 'view' = 'copied'): Promise<void> {
  const active = activeFilters(filters)
  if (Object.keys(active).length === 0) return
  // Only a visit's page views and campaign lines can match a filter, but for a source of "(direct)" alone, which a
  // visit without either also has: grouping every line of the period by visit (1.2-3 s at ten million events) is
  // needed only then.
  const everyLine = active.source === '(direct)' && !active.page && !active.campaign
  await db.run(
    `CREATE OR REPLACE TABLE kept_sessions AS
     WITH visits AS (
       SELECT session_id, any_value(visitor) AS visitor,
         arg_min(coalesce(prop_referrer, ctx_page_referrer), timestamp) FILTER (WHERE type = 'page') AS referrer,
         arg_min(coalesce(prop_url, ctx_page_url), timestamp) FILTER (WHERE type = 'page') AS url,
         arg_min(ctx_campaign_source, timestamp) FILTER (WHERE ctx_campaign_source IS NOT NULL) AS utm_source,
         arg_min(ctx_campaign_name, timestamp) FILTER (WHERE ctx_campaign_name IS NOT NULL) AS campaign,
         coalesce(bool_or(type = 'page' AND coalesce(prop_path, ctx_page_path) = $page), false) AS saw_page
       FROM events WHERE NOT derived ${everyLine ? '' : `AND (type = 'page' OR ctx_campaign_source IS NOT NULL OR ctx_campaign_name IS NOT NULL)`}
       GROUP BY session_id
     ),
     hosts AS (
       SELECT *, regexp_extract(coalesce(referrer, ''), '^[a-z]+://([^/:]+)', 1) AS host,
                 regexp_extract(coalesce(url, ''), '^[a-z]+://([^/:]+)', 1) AS own
       FROM visits
     )
     SELECT session_id, visitor FROM hosts
     WHERE ($source = '' OR $source = utm_source OR $source = CASE WHEN host = '' OR host = own THEN '(direct)' ELSE host END)
       AND ($page = '' OR saw_page)
       AND ($campaign = '' OR $campaign = campaign)`,
    { source: active.source ?? '', page: active.page ?? '', campaign: active.campaign ?? '' },
  )
  const kept = `(CASE WHEN derived THEN visitor NOT IN (SELECT visitor FROM kept_sessions)
           ELSE session_id NOT IN (SELECT session_id FROM kept_sessions) END) IS NOT TRUE`
  if (held === 'view') return viewOnlyEvents(db, kept)
  await keepOnlyEvents(db, kept)
  await db.run('DROP TABLE kept_sessions')
}
