import { sqlList } from '../compaction/sql.js'
import { derivedLine } from './sessions.js'

/**
 * Events that measure a page rather than record something a visitor did: sent for every page view by the full
 * tag, they neither save a visit from bouncing nor count as goals.
 */
export const passiveEvents = ['Page Engaged', 'Web Vital', 'Heatmap']

/** SQL of the path of the page a line was sent from (a page view's own, else its context's). */
export const linePath = 'coalesce(prop_path, ctx_page_path)'

/** A page view's path as the entry and exit pages name it, `(unknown)` when it sent none. */
const pagePath = `coalesce(${linePath}, '(unknown)')`

/**
 * The version of the summaries' columns, kept in a compacted day's manifest (`visitsVersion`): a day whose summaries
 * have another is read as if it had none, and compacted again.
 */
export const visitSummaryVersion = 6

const host = (column: string) => `regexp_extract(coalesce(${column}, ''), '^[a-z]+://([^/:]+)', 1)`

/**
 * SQL of a visit's source by its landing page, over {@link visitPartsSql}'s columns: the host of its `referrer`, or
 * `(direct)` without one or from the site's own host (its `url`'s). Each summary keeps it as `source`, which the
 * sources panel and a `source=` filter both read, so they cannot disagree.
 */
const referrerSource = `CASE WHEN ${host('referrer')} IN ('', ${host('url')}) THEN '(direct)' ELSE ${host('referrer')} END`

/**
 * SQL of the flow of each visit over `pages` (a query of page views with `session_id`, `writeKey`, `path` and
 * `timestamp`), by `session_id` and `writeKey`: its first four pages in time, a page viewed again right after itself
 * folded into one step (`?` for a page view without a path). Column `steps`. `min_by` with a count keeps four per
 * visit as it goes: a list of every step, sorted per visit and then cut, ran out of memory at ten million events.
 */
const stepsSql = (pages: string) => `
  SELECT session_id, writeKey, min_by(coalesce(path, '?'), timestamp, 4) AS steps
  FROM (SELECT *, lag(path) OVER (PARTITION BY session_id, writeKey ORDER BY timestamp) AS previous FROM (${pages}))
  WHERE previous IS NULL OR previous <> path
  GROUP BY session_id, writeKey`

/**
 * SQL of a summary of each visit (session) over `rows`, a query of lines with the report's columns (a compacted
 * day's, or the report's `events`), grouped by `session_id` and `writeKey`, of the lines a visitor sent (not the cart
 * decisions), one query. Columns:
 * - `session_id`, `writeKey`, `visitor` (one of the visit's);
 * - `views` (page views) and `actions` (what the visitor did besides viewing pages: not a {@link passiveEvents});
 * - `first_at`, `last_at`: its first and last line;
 * - `entry` and `exit`: the path of its first and last page view, at `entry_at` and `exit_at`;
 * - `referrer` and `url`: of its first page view that has one (each at its `_at`), which name its source;
 * - `source`: that source ({@link referrerSource}), the host that sent the visit or `(direct)`: the sources panel and
 *   a `source=` filter read it, not the two addresses (the host's pattern cost 0.2 s over a month's 1.3 million
 *   visits at ten million events, in each of them);
 * - `utm_source` and `utm_medium`: each of its first line tagged with one (at `utm_source_at`, `utm_medium_at`),
 *   which with `source` name its channel (`sql/channels.ts`), a link tagged without a campaign's name included;
 * - `campaign`: the utm campaign of its first line tagged with one (at `campaign_at`), as `name`, `source` and
 *   `medium`, all three from that line;
 * - `steps`: its flow, its first four pages (a page viewed again right after itself is one step);
 * - `people`: who its lines name (`sql/identified.ts`), each distinct `{visitor, user, email}` of the lines with a
 *   user id or an email (lower-cased), NULL for a visit that names no one: the identified people are counted from
 *   the visits, not from every line of the range. Per visitor, not per visit, as a visit may hold two: a sign-out
 *   starts a new anonymous id in the same browser session.
 *
 * Each pick keeps its time so that summaries of one visit's parts (its lines in two days' files) merge into the
 * summary of the whole ({@link mergedVisitsSql}).
 */
export const visitPartsSql = (rows: string) => `SELECT * FROM (
  WITH sent AS (SELECT * FROM (${rows}) WHERE NOT ${derivedLine}),
  flows AS (${stepsSql(`SELECT session_id, writeKey, ${linePath} AS path, timestamp FROM sent WHERE type = 'page'`)})
  SELECT s.*, ${referrerSource} AS source, f.steps FROM (
  SELECT session_id, writeKey, any_value(visitor) AS visitor,
    count(*) FILTER (type = 'page') AS views,
    count(*) FILTER (type = 'track' AND event NOT IN (${sqlList(passiveEvents)})) AS actions,
    min(timestamp) AS first_at, max(timestamp) AS last_at,
    arg_min(${pagePath}, timestamp) FILTER (type = 'page') AS entry,
    min(timestamp) FILTER (type = 'page') AS entry_at,
    arg_max(${pagePath}, timestamp) FILTER (type = 'page') AS exit,
    max(timestamp) FILTER (type = 'page') AS exit_at,
    arg_min(coalesce(prop_referrer, ctx_page_referrer), timestamp) FILTER (type = 'page') AS referrer,
    min(timestamp) FILTER (type = 'page' AND coalesce(prop_referrer, ctx_page_referrer) IS NOT NULL) AS referrer_at,
    arg_min(coalesce(prop_url, ctx_page_url), timestamp) FILTER (type = 'page') AS url,
    min(timestamp) FILTER (type = 'page' AND coalesce(prop_url, ctx_page_url) IS NOT NULL) AS url_at,
    arg_min(ctx_campaign_source, timestamp) AS utm_source,
    min(timestamp) FILTER (ctx_campaign_source IS NOT NULL) AS utm_source_at,
    arg_min(ctx_campaign_medium, timestamp) AS utm_medium,
    min(timestamp) FILTER (ctx_campaign_medium IS NOT NULL) AS utm_medium_at,
    arg_min({'name': ctx_campaign_name, 'source': ctx_campaign_source, 'medium': ctx_campaign_medium}, timestamp)
      FILTER (ctx_campaign_name IS NOT NULL) AS campaign,
    min(timestamp) FILTER (ctx_campaign_name IS NOT NULL) AS campaign_at,
    list(DISTINCT {'visitor': visitor, 'user': userId, 'email': lower(coalesce(traits_email, ctx_traits_email))})
      FILTER (userId IS NOT NULL OR coalesce(traits_email, ctx_traits_email) IS NOT NULL) AS people
  FROM sent
  GROUP BY session_id, writeKey
  ) s LEFT JOIN flows f ON f.session_id = s.session_id AND f.writeKey IS NOT DISTINCT FROM s.writeKey)`

/**
 * A visit's flow from its parts' flows, in the order of their first page views: each part's steps follow the last's,
 * the first of them dropped when it is the page the last ended on (viewed again right after itself), cut to four.
 * Exact when each part's page views all come after the last's (see {@link mergedVisitsSql}): a part's steps are all
 * of its pages but when it has four, and then no later part's count.
 */
const joinedSteps = `list_reduce(
  list(steps ORDER BY entry_at) FILTER (views > 0),
  (flow, next) -> CASE WHEN flow[-1] = next[1] THEN flow || next[2:] ELSE flow || next END)[1:4]`

/**
 * SQL of one summary per visit from `parts`, a query of {@link visitPartsSql}'s rows of which several may be one
 * visit's: counts add up, the first pick wins at its earliest time, the last at its latest, the people named are
 * joined, and the source is that of the referrer and address picked. The flow is the parts' flows joined, when each
 * part's page views follow the last's (its first page view after the last's last one, as a visit that crossed
 * midnight or went on in a later file); when they interleave (a page view's beacon that arrived a day late, a visit
 * of two sites), it is read again from the report's `pages`, for those visits only. Reading every merged visit's
 * flow from `pages` scanned the range's page views: the merged visits of a month at ten million events took
 * 0.33–0.43 s so, 0.25–0.29 s with their flows joined.
 */
export const mergedVisitsSql = (parts: string) => `
  WITH ordered AS MATERIALIZED (
    SELECT *, lag(exit_at) OVER (PARTITION BY session_id, views > 0 ORDER BY entry_at) AS exit_before
    FROM (${parts})
  ),
  m AS MATERIALIZED (
    SELECT session_id, any_value(writeKey) AS writeKey, any_value(visitor) AS visitor,
      sum(views) AS views, sum(actions) AS actions, min(first_at) AS first_at, max(last_at) AS last_at,
      arg_min(entry, entry_at) AS entry, min(entry_at) AS entry_at,
      arg_max(exit, exit_at) AS exit, max(exit_at) AS exit_at,
      arg_min(referrer, referrer_at) AS referrer, min(referrer_at) AS referrer_at,
      arg_min(url, url_at) AS url, min(url_at) AS url_at,
      arg_min(utm_source, utm_source_at) AS utm_source, min(utm_source_at) AS utm_source_at,
      arg_min(utm_medium, utm_medium_at) AS utm_medium, min(utm_medium_at) AS utm_medium_at,
      arg_min(campaign, campaign_at) AS campaign, min(campaign_at) AS campaign_at,
      list_distinct(flatten(list(people) FILTER (people IS NOT NULL))) AS people,
      ${joinedSteps} AS joined_steps,
      coalesce(bool_and(exit_before IS NULL OR exit_before < entry_at) FILTER (views > 0), true) AS in_order
    FROM ordered GROUP BY session_id
  )
  SELECT m.* EXCLUDE (joined_steps, in_order), ${referrerSource} AS source,
    CASE WHEN in_order THEN joined_steps ELSE f.steps END AS steps
  FROM m LEFT JOIN (${stepsSql(
    `SELECT session_id, NULL AS writeKey, path, timestamp FROM pages
     SEMI JOIN (SELECT session_id FROM m WHERE NOT in_order) s USING (session_id) WHERE NOT derived`,
  )}) f USING (session_id)`
