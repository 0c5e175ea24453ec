/**
 * Events that measure a page rather than record something a visitor did: sent for every page view by the full
 * tag, they neither save a visit from bouncing nor count as goals.
 */
export const passiveEvents = ['Page Engaged', 'Web Vital', 'Heatmap']

const quoted = (names: readonly string[]) => names.map((n) => `'${n.replaceAll("'", "''")}'`).join(', ')

/**
 * SQL of one row per visit (session) with a page view: its page views, what the visitor did besides viewing
 * pages, its first and last event, and whether it bounced (one page view and nothing done, as Plausible counts).
 * Columns: `session_id`, `views`, `actions`, `first_at`, `last_at`, `duration_ms`, `bounced`.
 */
export const visitsSql = `
  SELECT session_id,
         count(*) FILTER (type = 'page') AS views,
         count(*) FILTER (type = 'track' AND event NOT IN (${quoted(passiveEvents)})) AS actions,
         min(timestamp) AS first_at, max(timestamp) AS last_at,
         epoch_ms(max(timestamp)) - epoch_ms(min(timestamp)) AS duration_ms,
         count(*) FILTER (type = 'page') = 1 AND count(*) FILTER (type = 'track' AND event NOT IN (${quoted(passiveEvents)})) = 0 AS bounced
  FROM events WHERE NOT derived
  GROUP BY session_id HAVING count(*) FILTER (type = 'page') > 0`
