import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DataFile } from '@spoor/log'
import type { EventLine } from '@spoor/protocol'
import { fewFiles } from './compaction/concat-files.js'
import { readableLine as readable, sqlString } from './compaction/sql.js'
import type { Db } from './duckdb.js'
import { duckDbColumns } from './loaders/duckdb-columns.js'
import { extractedColumnNames, withExtractedColumns } from './loaders/extracted-columns.js'
import { emailRows } from './sql/email-rows.js'

/**
 * Of a query over lines with the extracted columns, the columns the panels read. A line's `context` is most of its
 * bytes and the panels read it through the extracted columns, so only the email section's rows keep it, as
 * `email_context`. Page views and Page Engaged, most of the rows, keep no `properties` either: every field of theirs
 * a panel reads is extracted. The fields no panel reads (`traits`, `name`, `sentAt`, …) are left out.
 */
const panelColumns = (rows: string) =>
  `SELECT messageId, type, event, userId, anonymousId, receivedAt, timestamp, writeKey,
     CASE WHEN (type = 'page' OR event = 'Page Engaged') AND NOT email_row THEN NULL ELSE properties END AS properties,
     ${extractedColumnNames.join(', ')}, CASE WHEN email_row THEN context END AS email_context
   FROM (SELECT *, ${emailRows} AS email_row FROM (${rows}))`

/** What {@link loadEvents} loads. */
export interface LoadOptions {
  /** NDJSON files, published or still being written (a partial last line is skipped). */
  files: DataFile[]
  /**
   * Parquet files of compacted days (same columns, already readable and deduplicated within their day, and against
   * each other within a week unless listed in `parquetToDedupe`).
   */
  parquet?: string[]
  /** Those of `parquet` whose events may also be in another of them (see `Sources.parquetToDedupe`). */
  parquetToDedupe?: string[]
  /** Derived events decided by a batch run of the cart detector, loaded beside the files' own. */
  derived: EventLine[]
  from: Date
  to: Date
  writeKey?: string
}

/**
 * Loads the report's events into the table `events`: the published files (typed by the columns generated from the
 * JSON Schema, with the fields the panels read extracted into columns of their own, see {@link panelColumns}), plus
 * the batch-decided cart events, within the range and site, deduplicated by `messageId` (the first arrival wins; on
 * a tie, a line of the files over the batch run's copy). `events` is a view: see {@link keepOnlyEvents}. Adds `visitor` (anonymous id; for an
 * event with only a user id, the anonymous id that person was last seen with, else the user id) and `session_id`
 * (`context.session.id`; for an event without one, the session its visitor was in within the last 30 minutes; else a
 * new session after 30 minutes without an event, as the capture plugins count them).
 *
 * @returns the number of events loaded, and of lines skipped because they could not be read
 */
export async function loadEvents(db: Db, options: LoadOptions): Promise<{ events: number; unreadable: number }> {
  const scratch = await mkdtemp(join(tmpdir(), 'spoor-report-'))
  try {
    // An empty file keeps the list non-empty, so a folder with no data yet reads as zero events, not an error.
    const published = options.files.filter((file) => !file.open).map((file) => file.path)
    const paths = [join(scratch, 'empty.ndjson'), ...(await fewFiles(published, scratch, 'published.ndjson'))]
    await writeFile(paths[0]!, '')
    // A file still being written is read as of now, up to its last whole line: the line being appended is not an
    // unreadable one, only an unfinished one. A file published meanwhile is read under its new name next time.
    for (const [index, file] of options.files.filter((f) => f.open).entries()) {
      const bytes = await readFile(file.path).catch(() => Buffer.alloc(0))
      const copy = join(scratch, `open-${index}.ndjson`)
      await writeFile(copy, bytes.subarray(0, bytes.lastIndexOf(0x0a) + 1))
      paths.push(copy)
    }
    // A line DuckDB cannot read (not JSON, or a required field of the wrong type) comes back as NULLs with
    // ignore_errors: it is skipped and counted, so one bad line costs itself, not the report.
    const inRange = `(timestamp IS NULL OR (timestamp >= $from::TIMESTAMPTZ AND timestamp < $to::TIMESTAMPTZ))
         AND (writeKey IS NULL OR $site = '' OR writeKey = $site)`
    // NDJSON lines get the extracted columns as they are read; a compacted day has them already.
    const lines = (files: string[]) =>
      panelColumns(
        withExtractedColumns(
          `SELECT * FROM read_json([${files.map(sqlString).join(', ')}], format = 'newline_delimited', columns = ${duckDbColumns()}, ignore_errors = true)
           WHERE ${inRange}`,
        ),
      )
    // Parquet files are sorted by time: the range skips most of their row groups, and only the columns the panels
    // read are decoded.
    // Every line but those of the Parquet files that hold no event another source holds takes part in the
    // deduplication below (`to_dedupe`): at ten million events, grouping every line by messageId needed more memory
    // than the report has.
    const toDedupe = new Set(options.parquetToDedupe)
    const parquetGroups = [
      (options.parquet ?? []).filter((path) => !toDedupe.has(path)),
      (options.parquet ?? []).filter((path) => toDedupe.has(path)),
    ]
    const parquet = parquetGroups
      .map((group, i) =>
        group.length
          ? `UNION ALL BY NAME SELECT *, ${i === 1} AS to_dedupe FROM (${panelColumns(`SELECT * FROM read_parquet([${group.map(sqlString).join(', ')}]) WHERE ${inRange}`)})`
          : '',
      )
      .join('\n')
    // The batch-decided cart events come last: a copy the collector wrote of the same decision (same messageId, and
    // often the same receivedAt, that of the line which made it due) wins the tie below, from files or Parquet alike.
    let derived = ''
    if (options.derived.length) {
      const derivedPath = join(scratch, 'derived.ndjson')
      await writeFile(derivedPath, options.derived.map((line) => JSON.stringify(line)).join('\n') + '\n')
      derived = `UNION ALL BY NAME SELECT *, true AS to_dedupe FROM (${lines([derivedPath])})`
    }
    await db.run(
      `CREATE OR REPLACE TABLE read_lines AS
       SELECT *, true AS to_dedupe FROM (${lines(paths)})
       ${parquet}
       ${derived}`,
      { from: options.from.toISOString(), to: options.to.toISOString(), site: options.writeKey ?? '' },
    )
    // Deduplication and sessionising sort and window the rows: they work on a narrow table of the few columns they
    // read, keyed by row. Of each messageId a line to deduplicate holds, every line but the first arrival is
    // dropped (on a tie, the earlier row: the files' before the batch run's).
    await db.run(
      `CREATE OR REPLACE TABLE event_keys AS
       WITH candidates AS (SELECT DISTINCT messageId FROM read_lines WHERE to_dedupe AND ${readable}),
       later_copies AS (
         SELECT rowid AS rid FROM read_lines SEMI JOIN candidates USING (messageId)
         WHERE ${readable}
         QUALIFY row_number() OVER (PARTITION BY messageId ORDER BY receivedAt, rowid) > 1
       )
       SELECT rowid AS rid, writeKey, userId, anonymousId, timestamp, ctx_session_id AS session,
         coalesce(ctx_library_name = 'spoor-collector', false) AS derived
       FROM read_lines
       WHERE ${readable} AND rowid NOT IN (SELECT rid FROM later_copies)`,
    )
    await db.run(
      `CREATE OR REPLACE TABLE event_sessions AS
       WITH links AS (SELECT writeKey, userId, anonymousId, timestamp FROM event_keys WHERE userId IS NOT NULL AND anonymousId IS NOT NULL),
       first_links AS (SELECT writeKey, userId, arg_min(anonymousId, timestamp) AS anonymousId FROM links GROUP BY ALL),
       raw AS (
         -- A backend's event often knows only the person (userId): it is the visitor of the device that person was
         -- last seen on (an event carrying both ids), else of the first one they are seen on later.
         SELECT rid, timestamp, session, derived, anonymousId AS visitor FROM event_keys
         WHERE anonymousId IS NOT NULL OR userId IS NULL
         UNION ALL
         SELECT e.rid, e.timestamp, e.session, e.derived, coalesce(l.anonymousId, f.anonymousId, e.userId) AS visitor
         FROM (SELECT * FROM event_keys WHERE anonymousId IS NULL AND userId IS NOT NULL) e
         ASOF LEFT JOIN links l ON e.writeKey = l.writeKey AND e.userId = l.userId AND e.timestamp >= l.timestamp
         LEFT JOIN first_links f ON e.writeKey = f.writeKey AND e.userId = f.userId
       ),
       -- Most visitors' events all carry the browser's session: theirs is the event's own, with no window to compute.
       loose AS (SELECT DISTINCT visitor, derived FROM raw WHERE session IS NULL),
       marked AS (
         SELECT *,
           CASE WHEN timestamp - lag(timestamp) OVER (PARTITION BY visitor, derived ORDER BY timestamp) <= INTERVAL 30 MINUTE
                THEN 0 ELSE 1 END AS starts_session
         FROM raw SEMI JOIN loose USING (visitor, derived)
       ),
       visits AS (
         SELECT *, visitor || '#' || sum(starts_session) OVER (PARTITION BY visitor, derived ORDER BY timestamp ROWS UNBOUNDED PRECEDING) AS visit
         FROM marked
       )
       SELECT rid, derived, visitor, session AS session_id FROM raw ANTI JOIN loose USING (visitor, derived)
       UNION ALL
       -- An event sent without the browser's session (a backend's order, a pixel) belongs to the session its visitor
       -- was in: the latest one seen in the same visit, else the visit's first.
       SELECT rid, derived, visitor,
         coalesce(session,
                  last_value(session IGNORE NULLS) OVER (PARTITION BY visitor, derived, visit ORDER BY timestamp ROWS UNBOUNDED PRECEDING),
                  first_value(session IGNORE NULLS) OVER (PARTITION BY visitor, derived, visit ORDER BY timestamp
                                                          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING),
                  visit) AS session_id
       FROM visits`,
    )
    // The rows are not copied again with their visitor and session: those are a narrow table in the rows' own order,
    // zipped to them by position. At ten million events a copy of the rows did not fit in memory beside them.
    await db.run(
      `CREATE OR REPLACE TABLE row_sessions AS
       SELECT s.rid IS NOT NULL AS kept, s.derived, s.visitor, s.session_id
       FROM (SELECT rowid AS rid FROM read_lines) r LEFT JOIN event_sessions s USING (rid)
       ORDER BY r.rid`,
    )
    await db.run('DROP TABLE event_keys')
    await db.run('DROP TABLE event_sessions')
    await db.run(
      `CREATE OR REPLACE VIEW events AS
       SELECT r.* EXCLUDE (to_dedupe), s.derived, s.visitor, s.session_id
       FROM read_lines r POSITIONAL JOIN row_sessions s WHERE s.kept`,
    )
    const [unreadable] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM read_lines WHERE NOT (${readable})`)
    // Small helpers every section's SQL uses.
    await db.run(`CREATE OR REPLACE TEMP MACRO jnum(obj, jpath) AS try_cast(json_extract_string(obj, jpath) AS DOUBLE)`)
    await db.run(
      `CREATE OR REPLACE TEMP MACRO order_value(props) AS coalesce(jnum(props, '$.value'), jnum(props, '$.total'), jnum(props, '$.revenue'))`,
    )
    await db.run(
      `CREATE OR REPLACE TEMP VIEW pages AS
       SELECT *, coalesce(prop_path, ctx_page_path) AS path FROM events WHERE type = 'page'`,
    )
    const [count] = await db.all<{ n: number }>('SELECT count(*) AS n FROM events')
    return { events: count?.n ?? 0, unreadable: unreadable?.n ?? 0 }
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

/**
 * Narrows the loaded `events` to the rows `condition` keeps (SQL over its columns), as a table of their own: the
 * rows loaded are dropped, so that a filtered view holds only what it shows.
 */
export async function keepOnlyEvents(db: Db, condition: string): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE kept_events AS SELECT * FROM events WHERE ${condition}`)
  await db.run('DROP VIEW events')
  await db.run('DROP TABLE read_lines')
  await db.run('DROP TABLE row_sessions')
  await db.run('ALTER TABLE kept_events RENAME TO events')
}
