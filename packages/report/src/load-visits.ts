import { sqlList, sqlString } from './compaction/sql.js'
import type { Db } from './duckdb.js'
import { mergedVisitsSql, visitPartsSql } from './sql/visits.js'

/** What {@link loadVisits} reads. */
export interface VisitOptions {
  /**
   * The visit summaries of every compacted day `events` reads (see `Sources.visits`); undefined when a day has none,
   * and then every visit is summed up from the lines.
   */
  visits?: string[]
  /** The Parquet files of those days, as `events` reads them. */
  parquet: string[]
  from: Date
  to: Date
  writeKey?: string
}

const at = (date: Date) => `${sqlString(date.toISOString())}::TIMESTAMPTZ`

/**
 * Makes `visits` one row per visit of `events` (a visitor's lines, not the cart decisions), with the columns of
 * `sql/visits.ts`: the panels that count visits (the headline's bounces and lengths, entry and exit pages, sources,
 * flows, a filter on a source or campaign) read it instead of grouping every line of the range by visit.
 *
 * Over compacted days, most visits are read as the day's compaction summed them up: a visit in one day's file, wholly
 * within the range. A visit whose lines lie in two files (it crossed midnight, or a beacon arrived the next day, or it
 * goes on in the lines not compacted yet) is merged from its parts. A part with lines both in and out of the range (at
 * its edges), or with a line the report dropped as a later copy of another, is summed up again from the lines: only
 * that visit's, and only those near the edge it crosses. A part wholly out of the range is left out, as its lines are.
 *
 * Call it after {@link loadEvents}, before the events are filtered; `visits` is a view over the summaries and
 * `visit_fixes` (a small table of the visits read otherwise).
 */
export async function loadVisits(db: Db, options: VisitOptions): Promise<void> {
  if (!options.visits) {
    await db.run(`CREATE OR REPLACE TABLE all_visits AS ${mergedVisitsSql(visitPartsSql('SELECT * FROM events'))}`)
    await db.run('CREATE OR REPLACE VIEW visits AS SELECT * FROM all_visits')
    return
  }
  const { from, to } = options
  const key = sqlString(options.writeKey ?? '')
  await db.run(`CREATE OR REPLACE TABLE recent_visit_parts AS ${visitPartsSql('SELECT * FROM recent')}`)
  const summaries = options.visits.length
    ? `SELECT * FROM read_parquet([${sqlList(options.visits)}])
       WHERE writeKey IS NULL OR ${key} = '' OR writeKey = ${key}
       UNION ALL BY NAME `
    : ''
  // Parts with a line in the range: a part wholly before or after it holds none of the range's lines.
  await db.run(
    `CREATE OR REPLACE VIEW visit_parts AS
     SELECT * FROM (${summaries} SELECT * FROM recent_visit_parts)
     WHERE last_at >= ${at(from)} AND first_at < ${at(to)}`,
  )
  // The compacted lines the report drops as later copies of others (see `load-events.ts`).
  const [dropped] = await db.all<{ n: number }>(
    `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'parquet_later_copies'`,
  )
  const laterCopies =
    dropped?.n && options.parquet.length
      ? `SELECT session_id FROM read_parquet([${sqlList(options.parquet)}], filename = true, file_row_number = true)
       SEMI JOIN parquet_later_copies USING (filename, file_row_number)`
      : 'SELECT NULL::VARCHAR AS session_id WHERE false'
  // The visits not read as one part, with the span of their parts (`lo`, `hi`): `again` if they are to be summed up
  // from their lines, `whole` if from all of them in the range (else only near the edge a part crosses: the start
  // if `before`, else the end). A visit of several parts is found first by a 64-bit hash of its id: a handful of the
  // month's 1.3 million parts at ten million events, grouped by their ids then (a hash shared by chance only adds
  // a part to check). Grouped by the ids themselves, strings of 36 characters, all of them took 0.25–0.32 s
  // against 0.16–0.18 s.
  await db.run(
    `CREATE OR REPLACE TABLE visit_fix_ids AS
     WITH later AS (SELECT DISTINCT session_id FROM (${laterCopies})),
     twice AS (SELECT hash(session_id) AS h FROM visit_parts GROUP BY h HAVING count(*) > 1),
     parted AS (
       SELECT session_id, min(first_at) AS lo, max(last_at) AS hi,
              bool_or(first_at < ${at(from)}) AS before, bool_or(last_at >= ${at(to)}) AS after
       FROM visit_parts
       WHERE first_at < ${at(from)} OR last_at >= ${at(to)} OR hash(session_id) IN (SELECT h FROM twice)
       GROUP BY session_id
       HAVING count(*) > 1 OR bool_or(first_at < ${at(from)}) OR bool_or(last_at >= ${at(to)})
     )
     SELECT p.session_id, p.lo, p.hi, p.before OR p.after OR l.session_id IS NOT NULL AS again,
            l.session_id IS NOT NULL OR (p.before AND p.after) AS whole, p.before
     FROM parted p LEFT JOIN later l USING (session_id)
     UNION ALL
     SELECT session_id, NULL, NULL, true, true, false FROM later
     WHERE session_id NOT IN (SELECT session_id FROM parted)`,
  )
  // Read again from the lines near the edge they cross: a scan of the row groups of those hours, not of the range.
  const [edges] = await db.all<{ early: Date | null; late: Date | null; whole: number }>(
    `SELECT max(hi) FILTER (again AND NOT whole AND before) AS early,
            min(lo) FILTER (again AND NOT whole AND NOT before) AS late,
            count(*) FILTER (whole) AS whole
     FROM visit_fix_ids`,
  )
  // Each group in a query of its own, so that its bound on the time reaches the Parquet scan.
  const group = (which: string, bound: string) =>
    visitPartsSql(
      `SELECT * FROM events SEMI JOIN (SELECT session_id FROM visit_fix_ids WHERE again AND ${which}) f USING (session_id)
       ${bound}`,
    )
  const linesAgain = [
    edges?.early ? group('NOT whole AND before', `WHERE timestamp <= ${at(edges.early)}`) : '',
    edges?.late ? group('NOT whole AND NOT before', `WHERE timestamp >= ${at(edges.late)}`) : '',
    edges?.whole ? group('whole', '') : '',
  ]
    .filter(Boolean)
    .map((sql) => `UNION ALL BY NAME ${sql}`)
    .join('\n')
  await db.run(
    `CREATE OR REPLACE TABLE visit_fixes AS
     ${mergedVisitsSql(
       `SELECT * FROM visit_parts SEMI JOIN (SELECT session_id FROM visit_fix_ids WHERE NOT again) f USING (session_id)
        ${linesAgain}`,
     )}`,
  )
  await db.run(
    `CREATE OR REPLACE VIEW all_visits AS
     SELECT * FROM visit_parts ANTI JOIN visit_fix_ids USING (session_id)
     UNION ALL BY NAME SELECT * FROM visit_fixes`,
  )
  await db.run('CREATE OR REPLACE VIEW visits AS SELECT * FROM all_visits')
}
