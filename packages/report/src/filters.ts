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
 * Keeps in `events` and `visits` (see `load-visits.ts`) only the sessions that match the filters (and the derived
 * cart events of their visitors). The values are bound parameters: a filter is data, never SQL. `held` says how the
 * events are kept: `copied` into a table of their own (a report's panels each read them), or as a `view` over the
 * loaded rows (one query reads them).
 */
export async function applyFilters(db: Db, filters: ReportFilters, held: 'copied' | 'view' = 'copied'): Promise<void> {
  const active = activeFilters(filters)
  if (Object.keys(active).length === 0) return
  // The visits' sources and campaigns are in their summaries (`load-visits.ts`); only a page filter reads lines, the
  // page views of that path.
  await db.run(
    `CREATE OR REPLACE TABLE kept_sessions AS
     SELECT session_id, visitor FROM all_visits
     WHERE ($source = '' OR $source = utm_source OR $source = source)
       AND ($campaign = '' OR $campaign = campaign.name)
       ${active.page ? `AND session_id IN (SELECT session_id FROM pages WHERE NOT derived AND path = $page)` : ''}`,
    {
      source: active.source ?? '',
      campaign: active.campaign ?? '',
      ...(active.page ? { page: active.page } : {}),
    },
  )
  const kept = `(CASE WHEN derived THEN visitor NOT IN (SELECT visitor FROM kept_sessions)
           ELSE session_id NOT IN (SELECT session_id FROM kept_sessions) END) IS NOT TRUE`
  // The visits kept are whole: their summaries stand as they are.
  await db.run('CREATE OR REPLACE VIEW visits AS SELECT * FROM all_visits SEMI JOIN kept_sessions USING (session_id)')
  if (held === 'view') return viewOnlyEvents(db, kept)
  await keepOnlyEvents(db, kept)
}
