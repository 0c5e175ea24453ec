import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { derivedEvents } from '@spoor/carts'
import type { DataFile } from '@spoor/log'
import type { EventLine } from '@spoor/protocol'
import { fewFiles } from './compaction/concat-files.js'
import { readingOversizedLines } from './compaction/oversized-lines.js'
import type { EventTimes } from './compaction/plan-sources.js'
import { readableLine as readable, sqlList, sqlString } from './compaction/sql.js'
import type { Db } from './duckdb.js'
import { duckDbColumns } from './loaders/duckdb-columns.js'
import { extractedColumnNames, withExtractedColumns } from './loaders/extracted-columns.js'
import { emailRows } from './sql/email-rows.js'
import { contextKeys, derivedLine, lineKeys, placedColumns, placedFrom, sessionsSql } from './sql/sessions.js'
import { linePath } from './sql/visits.js'

/**
 * Of a query over lines with the extracted columns, the columns the panels read. A line's `context` is most of its
 * bytes and the panels read it through the extracted columns, so only the email section's rows keep it, as
 * `email_context`. Page views and Page Engaged, most of the rows, keep no `properties` either: every field of theirs
 * a panel reads is extracted. The fields no panel reads (`traits`, `name`, `sentAt`, …) are left out.
 *
 * A compacted day kept `context` on the email section's rows only (`compact-days.ts`), so over its rows
 * (`compacted`) whether a row is one of them is whether it kept a context: read from the column's nulls, not from
 * the addresses of every row, and a filter on `email_context` reaches the Parquet scan, which skips the row groups
 * that hold none.
 */
const panelColumns = (rows: string, extra: string[] = [], compacted = false) => {
  const emailRow = compacted ? 'context IS NOT NULL' : 'email_row'
  return `SELECT messageId, type, event, userId, anonymousId, receivedAt, timestamp, writeKey,${extra.map((c) => ` ${c},`).join('')}
     CASE WHEN (type = 'page' OR event = 'Page Engaged') AND NOT ${emailRow} THEN NULL ELSE properties END AS properties,
     ${extractedColumnNames.join(', ')}, ${compacted ? 'context' : 'CASE WHEN email_row THEN context END'} AS email_context
   FROM (${compacted ? rows : `SELECT *, ${emailRows} AS email_row FROM (${rows})`})`
}

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
  /** The first and last event time of those of `parquet` whose day recorded them (see `Sources.parquetTimes`). */
  parquetTimes?: Map<string, EventTimes>
  /** Derived events decided by a batch run of the cart detector, loaded beside the files' own. */
  derived: EventLine[]
  from: Date
  to: Date
  writeKey?: string
}

/** What {@link loadEvents} loaded. */
export interface LoadedEvents {
  /** Lines of the loaded files skipped because they could not be read. */
  unreadable: number
  /**
   * The number of events, counted when asked (a scan of the range's rows, 0.06–0.16 s at ten million events a month),
   * before `events` is filtered: the tables it reads go with the filter.
   */
  countEvents: () => Promise<number>
}

/**
 * Makes `events` the report's events: the compacted days read where they lie (their Parquet files, whose lines carry
 * their visitor and session, placed when compacted), beside the lines read from NDJSON (published files, and those
 * still being written) and the batch-decided cart events, loaded into a table of their own, `recent`. Within the
 * range and site, typed by the columns generated from the JSON Schema, with the fields the panels read extracted
 * into columns of their own (see {@link panelColumns}), deduplicated by `messageId` (the first arrival wins; on a
 * tie, a line of the files over a compacted day's, and either over the batch run's copy). `events` is a view:
 * nothing of the compacted days is loaded, so a month of a busy shop costs each panel's query a scan of the columns
 * it reads, not the report a copy of every row. See {@link keepOnlyEvents} for a filtered view.
 *
 * The loaded lines get `visitor` and `session_id` as compaction gives them (`sql/sessions.ts`), with the compacted
 * days as context.
 *
 * @returns how many loaded lines were skipped because they could not be read, and a count of the events for the
 * caller who shows it (the previous period's headline and the live count do not), to call before any filter
 */
export async function loadEvents(db: Db, options: LoadOptions): Promise<LoadedEvents> {
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
    // Written into the SQL rather than bound: `events` is a view, which takes no parameters.
    const ofSite = `(writeKey IS NULL OR ${sqlString(options.writeKey ?? '')} = '' OR writeKey = ${sqlString(options.writeKey ?? '')})`
    const inRange = `(timestamp IS NULL OR (timestamp >= ${sqlString(options.from.toISOString())}::TIMESTAMPTZ
         AND timestamp < ${sqlString(options.to.toISOString())}::TIMESTAMPTZ))
         AND ${ofSite}`
    // A line DuckDB cannot read (not JSON, or a required field of the wrong type) comes back as NULLs with
    // ignore_errors: it is skipped and counted, so one bad line costs itself, not the report.
    // NDJSON lines get the extracted columns as they are read; a compacted day has them already.
    const lines = (files: string[]) =>
      panelColumns(
        withExtractedColumns(
          `SELECT * FROM read_json([${sqlList(files)}], format = 'newline_delimited', columns = ${duckDbColumns()}, ignore_errors = true)
           WHERE ${inRange}`,
        ),
      )
    // The batch-decided cart events come last (rank 2): a copy the collector wrote of the same decision (same
    // messageId, and often the same receivedAt, that of the line which made it due) wins the tie below, from files
    // or Parquet alike.
    let derived = ''
    if (options.derived.length) {
      const derivedPath = join(scratch, 'derived.ndjson')
      await writeFile(derivedPath, options.derived.map((line) => JSON.stringify(line)).join('\n') + '\n')
      derived = `UNION ALL BY NAME SELECT *, 2 AS rank FROM (${lines([derivedPath])})`
    }
    // A line too long for read_json to read at all is left out of a copy of its file, and counted with the others.
    const { oversized } = await readingOversizedLines(paths, scratch, (files) =>
      db.run(`CREATE OR REPLACE TABLE read_lines AS SELECT *, 0 AS rank FROM (${lines(files)}) ${derived}`),
    )
    const [unreadable] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM read_lines WHERE NOT (${readable})`)
    await db.run(`DELETE FROM read_lines WHERE NOT (${readable})`)

    const parquet = options.parquet ?? []
    const parquetList = (files: string[], rowIds = false) =>
      `read_parquet([${sqlList(files)}]${rowIds ? ', filename = true, file_row_number = true' : ''})`
    // The compacted days' rows within the range and site. A day whose every event lies in the range (all of a month's
    // but its edges) is read without the test of each row's time, which decoded the time of every row each panel
    // read: at ten million events, the report's SQL took 8.5–9.3 s with it against 10.1–10.4 s without.
    const within = (file: string) => {
      const times = options.parquetTimes?.get(file)
      return times !== undefined && times.first >= options.from && times.last < options.to
    }
    const whole = parquet.filter(within)
    const cut = parquet.filter((file) => !within(file))
    const compactedRows = (rowIds = false) =>
      [
        whole.length ? `SELECT * FROM ${parquetList(whole, rowIds)} WHERE ${ofSite}` : '',
        cut.length ? `SELECT * FROM ${parquetList(cut, rowIds)} WHERE ${inRange}` : '',
      ]
        .filter(Boolean)
        .join(' UNION ALL BY NAME ')
    const laterParquetCopies = await dedupe(db, parquetList, parquet, options.parquetToDedupe ?? [], inRange)

    // The loaded lines' visitors and sessions, placed as compaction places a day's (none loaded: nothing to place).
    const [earliest] = await db.all<{ since: Date | null }>('SELECT min(timestamp) AS since FROM read_lines')
    const context =
      parquet.length && earliest?.since
        ? `UNION ALL ${contextKeys(
            `(SELECT * FROM ${parquetList(parquet)} WHERE ${inRange})`,
            earliest.since,
            `SELECT DISTINCT anonymousId AS visitor, ${derivedLine} AS derived FROM read_lines`,
            'SELECT userId FROM read_lines WHERE anonymousId IS NULL',
          )}`
        : ''
    await db.run(
      `CREATE OR REPLACE TABLE recent_keys AS ${lineKeys('SELECT rowid AS rid, * FROM read_lines')} ${context}`,
    )
    await db.run(`CREATE OR REPLACE TABLE recent_sessions AS ${sessionsSql('recent_keys')}`)
    await db.run(
      `CREATE OR REPLACE TABLE recent AS
       SELECT r.* EXCLUDE (rank), s.derived, ${placedFrom('s')}
       FROM read_lines r JOIN recent_sessions s ON r.rowid = s.rid`,
    )
    for (const table of ['read_lines', 'recent_keys', 'recent_sessions']) await db.run(`DROP TABLE ${table}`)

    const compacted = parquet.length
      ? `SELECT * EXCLUDE (filename, file_row_number), ${derivedLine} AS derived
         FROM (${panelColumns(compactedRows(true), [...placedColumns, 'filename', 'file_row_number'], true)})
         ${laterParquetCopies ? 'ANTI JOIN parquet_later_copies USING (filename, file_row_number)' : ''}
         UNION ALL BY NAME `
      : ''
    await db.run(`CREATE OR REPLACE VIEW events AS ${compacted} SELECT * FROM recent`)
    // Small helpers every section's SQL uses.
    await db.run(`CREATE OR REPLACE TEMP MACRO jnum(obj, jpath) AS try_cast(json_extract_string(obj, jpath) AS DOUBLE)`)
    await db.run(
      `CREATE OR REPLACE TEMP MACRO order_value(props) AS coalesce(jnum(props, '$.value'), jnum(props, '$.total'), jnum(props, '$.revenue'))`,
    )
    await db.run(
      `CREATE OR REPLACE TEMP VIEW pages AS
       SELECT *, ${linePath} AS path FROM events WHERE type = 'page'`,
    )
    // Counted without the view's anti join, which reads every row's file and row number: the later copies are rows
    // of the compacted days within the range.
    const countEvents = async () => {
      const [count] = await db.all<{ n: number }>(
        `SELECT (SELECT count(*) FROM recent)
           ${parquet.length ? `+ (SELECT count(*) FROM (${compactedRows()}))` : ''}
           ${laterParquetCopies ? '- (SELECT count(*) FROM parquet_later_copies)' : ''} AS n`,
      )
      return count?.n ?? 0
    }
    return { countEvents, unreadable: (unreadable?.n ?? 0) + oversized }
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

/**
 * Drops every copy of a messageId but its first arrival, where a copy can be: among the loaded lines (`read_lines`,
 * deleted from it), and in the compacted days for a messageId that a loaded line or a day to deduplicate holds
 * (listed in `parquet_later_copies`, by file and row, for the view to leave out). The compacted days are read only
 * within a week of those lines' arrivals, as compaction dedupes the days within a week of each other; for the batch
 * run's cart decisions, whose copies can only be decisions the collector wrote, only those are read.
 *
 * @returns how many compacted lines are later copies
 */
async function dedupe(
  db: Db,
  parquetList: (files: string[], rowIds?: boolean) => string,
  parquet: string[],
  toDedupe: string[],
  inRange: string,
): Promise<number> {
  const candidates = `SELECT messageId, receivedAt, rank = 2 AS decided FROM read_lines
     ${toDedupe.length ? `UNION ALL SELECT messageId, receivedAt, false AS decided FROM ${parquetList(toDedupe)} WHERE ${inRange}` : ''}`
  await db.run(`CREATE OR REPLACE TABLE dedupe_candidates AS ${candidates}`)
  const [any] = await db.all<{ n: number }>('SELECT count(*) AS n FROM dedupe_candidates')
  if (!any?.n) {
    await db.run('DROP TABLE dedupe_candidates')
    return 0
  }
  await db.run(
    `CREATE OR REPLACE TABLE later_copies AS
     WITH ids AS (SELECT DISTINCT messageId FROM dedupe_candidates),
     bounds AS (
       SELECT min(receivedAt) - INTERVAL 7 DAY AS lo, max(receivedAt) + INTERVAL 7 DAY AS hi
       FROM dedupe_candidates WHERE NOT decided
     ),
     copies AS (
       SELECT messageId, receivedAt, rank, rowid AS rid, NULL::VARCHAR AS filename, NULL::BIGINT AS file_row_number
       FROM read_lines SEMI JOIN ids USING (messageId)
       ${
         parquet.length
           ? `UNION ALL
              SELECT messageId, receivedAt, 1 AS rank, NULL::BIGINT AS rid, filename, file_row_number
              FROM ${parquetList(parquet, true)} SEMI JOIN ids USING (messageId)
              WHERE ${inRange}
                AND (receivedAt BETWEEN (SELECT lo FROM bounds) AND (SELECT hi FROM bounds)
                     OR event IN (${sqlList(derivedEvents)}))`
           : ''
       }
     )
     SELECT rid, filename, file_row_number FROM copies
     QUALIFY row_number() OVER (PARTITION BY messageId ORDER BY receivedAt, rank, rid, filename, file_row_number) > 1`,
  )
  await db.run('DELETE FROM read_lines WHERE rowid IN (SELECT rid FROM later_copies WHERE rid IS NOT NULL)')
  await db.run(
    `CREATE OR REPLACE TABLE parquet_later_copies AS
     SELECT filename, file_row_number FROM later_copies WHERE rid IS NULL`,
  )
  await db.run('DROP TABLE later_copies')
  await db.run('DROP TABLE dedupe_candidates')
  const [row] = await db.all<{ n: number }>('SELECT count(*) AS n FROM parquet_later_copies')
  return row?.n ?? 0
}

/**
 * Narrows the loaded `events` to the rows `condition` keeps (SQL over its columns), as a table of their own: the
 * rows loaded are dropped, so that a filtered view holds only what it shows.
 */
export async function keepOnlyEvents(db: Db, condition: string): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE kept_events AS SELECT * FROM events WHERE ${condition}`)
  await db.run('DROP VIEW events')
  await db.run('DROP TABLE recent')
  await db.run('DROP TABLE IF EXISTS parquet_later_copies')
  await db.run('ALTER TABLE kept_events RENAME TO events')
}

/**
 * Narrows `events` to the rows `condition` keeps, as a view over the loaded rows: for a database that runs one
 * query over them (the previous period's headline), where copying the kept rows first (every column of each) would
 * cost more than the query. The tables `condition` reads must stay.
 */
export async function viewOnlyEvents(db: Db, condition: string): Promise<void> {
  await db.run('ALTER VIEW events RENAME TO unfiltered_events')
  await db.run(`CREATE VIEW events AS SELECT * FROM unfiltered_events WHERE ${condition}`)
}
