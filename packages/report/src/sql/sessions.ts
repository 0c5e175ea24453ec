import { collectorLibrary } from '@spoor/protocol'

/**
 * Whether a line is a cart decision the collector (or the report's batch run) made, not something a visitor sent.
 * No sender can name this library: the collector refuses events that do.
 */
export const derivedLine = `coalesce(ctx_library_name = '${collectorLibrary}', false)`

/**
 * SQL of a visitor's key: a 64-bit number from the MD5 of its id, what the panels count distinct visitors by. A
 * visitor id is a string of 36 characters or more (a UUID, or a sender's own), longer than DuckDB keeps inline: a
 * distinct count of 780,000 of them read, hashed and compared each string, where the key is a fixed-width number
 * (at 10M events, the nine statements that count visitors over a month took about half a second less in all; the
 * devices' 1.28 s -> 1.14-1.18 s). Computed where the visitor is placed (compaction, or the report's load of lines
 * not compacted), never per query: the MD5 of every page view took 0.8 s, more than the count saves. MD5, not
 * DuckDB's `hash()`: the same on every version, since a compacted day's keys are counted beside those of lines
 * loaded by a later version. Two visitors share a key with a chance of about n²/2⁶⁵: one in 37 million for a
 * million visitors.
 */
export const visitorKeyOf = (visitor: string) => `md5_number_upper(${visitor})`

/** The columns {@link sessionsSql} places on each line, which compaction writes and the report reads beside it. */
export const placedColumns = ['visitor', 'visitor_key', 'session_id'] as const

/** {@link placedColumns} of the table aliased `alias`, for a select list. */
export const placedFrom = (alias: string) => placedColumns.map((column) => `${alias}.${column}`).join(', ')

/**
 * SQL of each line's visitor and session, over `keys`: a table of the lines to place, with the columns `rid`,
 * `writeKey`, `userId`, `anonymousId`, `timestamp`, `session` (the browser's session id, if sent), `derived`
 * ({@link derivedLine}), plus `context` and `link`. Context rows are lines placed before (an earlier day's), with
 * their visitor as `anonymousId` and their session as `session`: a line of the same visit continues their session,
 * and a person's device is still known. `link` says a row carried both ids itself. Gives `rid`, `derived`, `visitor`
 * `session_id` and `visitor_key` ({@link visitorKeyOf}) of the rows that are not context.
 *
 * - The visitor is the anonymous id. A backend's event often knows only the person (userId): it is the visitor of
 *   the device that person was last seen on (a line carrying both ids), else of the first one they are seen on
 *   later, else the user id itself.
 * - The session is the browser's. Most visitors' lines all carry one: theirs is the line's own, with no window to
 *   compute. A line sent without one (a backend's order, a pixel) belongs to the session its visitor was in: the
 *   latest one seen in the same visit, else the visit's first, else the visit itself, named by its visitor and the
 *   millisecond it started. A visit ends after 30 minutes without a line, as the capture plugins count sessions.
 *
 * Placing one day's lines with the day before as context gives the same visitors and sessions as placing both days
 * at once, but for a visit or a person's first device that the context does not reach.
 */
export const sessionsSql = (keys: string) => `
  SELECT *, ${visitorKeyOf('visitor')} AS visitor_key FROM (
  WITH links AS (SELECT writeKey, userId, anonymousId, timestamp FROM ${keys} WHERE link),
  first_links AS (SELECT writeKey, userId, arg_min(anonymousId, timestamp) AS anonymousId FROM links GROUP BY ALL),
  raw AS (
    SELECT rid, timestamp, session, derived, context, anonymousId AS visitor FROM ${keys}
    WHERE anonymousId IS NOT NULL OR userId IS NULL
    UNION ALL
    SELECT e.rid, e.timestamp, e.session, e.derived, e.context, coalesce(l.anonymousId, f.anonymousId, e.userId) AS visitor
    FROM (SELECT * FROM ${keys} WHERE anonymousId IS NULL AND userId IS NOT NULL) e
    ASOF LEFT JOIN links l ON e.writeKey = l.writeKey AND e.userId = l.userId AND e.timestamp >= l.timestamp
    LEFT JOIN first_links f ON e.writeKey = f.writeKey AND e.userId = f.userId
  ),
  loose AS (SELECT DISTINCT visitor, derived FROM raw WHERE session IS NULL AND NOT context),
  marked AS (
    SELECT *,
      CASE WHEN timestamp - lag(timestamp) OVER (PARTITION BY visitor, derived ORDER BY timestamp) <= INTERVAL 30 MINUTE
           THEN 0 ELSE 1 END AS starts_session
    FROM raw SEMI JOIN loose USING (visitor, derived)
  ),
  numbered AS (
    SELECT *, sum(starts_session) OVER (PARTITION BY visitor, derived ORDER BY timestamp ROWS UNBOUNDED PRECEDING) AS visit_number
    FROM marked
  ),
  visits AS (
    SELECT *, visitor || '#' || epoch_ms(min(timestamp) OVER (PARTITION BY visitor, derived, visit_number)) AS visit
    FROM numbered
  )
  SELECT rid, derived, visitor, session AS session_id FROM raw ANTI JOIN loose USING (visitor, derived)
  WHERE NOT context
  UNION ALL
  SELECT rid, derived, visitor,
    coalesce(session,
             last_value(session IGNORE NULLS) OVER (PARTITION BY visitor, derived, visit ORDER BY timestamp ROWS UNBOUNDED PRECEDING),
             first_value(session IGNORE NULLS) OVER (PARTITION BY visitor, derived, visit ORDER BY timestamp
                                                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING),
             visit) AS session_id
  FROM visits
  QUALIFY NOT context
  )`

/**
 * SQL of the context rows {@link sessionsSql} needs from compacted days (`parquet`, a query of their lines): the
 * lines from an hour before `since` (the new lines' earliest time) on of the visitors in `visitors` (a SQL query of
 * `visitor` and `derived`), whose visits the new lines may continue, and the lines that link a device to a person
 * among `people` (a SQL query of user ids). Only a visitor's own lines of the same kind (sent, or decided) place a
 * line: the rest of the days are not read.
 *
 * `since` is a value, not a subquery: DuckDB skips the row groups before a constant bound by their statistics, but
 * joins every row of the days against a subquery's (at ten million events, 1.3 s to place no line at all).
 */
export const contextKeys = (parquet: string, since: Date, visitors: string, people: string) => `
  SELECT NULL::BIGINT AS rid, writeKey, userId, visitor AS anonymousId, timestamp, session_id AS session, derived,
    true AS context, userId IS NOT NULL AND anonymousId IS NOT NULL AS link
  FROM (
    SELECT * FROM (SELECT *, ${derivedLine} AS derived FROM ${parquet}
                   WHERE timestamp >= '${new Date(since.getTime() - 3_600_000).toISOString()}'::TIMESTAMPTZ) p
    SEMI JOIN (${visitors}) v ON p.visitor = v.visitor AND p.derived = v.derived
    UNION ALL
    SELECT *, ${derivedLine} AS derived FROM ${parquet}
    WHERE userId IS NOT NULL AND anonymousId IS NOT NULL AND userId IN (${people})
  )`

/** SQL of the keys of new lines for {@link sessionsSql}, from a query with the extracted columns and `rid`. */
export const lineKeys = (rows: string) => `
  SELECT rid, writeKey, userId, anonymousId, timestamp, ctx_session_id AS session, ${derivedLine} AS derived,
    false AS context, userId IS NOT NULL AND anonymousId IS NOT NULL AS link
  FROM (${rows})`
