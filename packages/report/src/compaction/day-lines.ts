import type { Db } from '../duckdb.js'
import { duckDbColumns } from '../loaders/duckdb-columns.js'
import { readingOversizedLines } from './oversized-lines.js'
import { readableLine, sqlString } from './sql.js'

/**
 * Reads a day's lines (one NDJSON file) into the table `day_lines`, typed as every line is, and gives how many of
 * them cannot be read: those read_json types as nothing, and those too long for it to read at all, left out of a
 * copy of the file (see `oversized-lines.ts`).
 */
export async function readDayLines(db: Db, lines: string, scratch: string): Promise<number> {
  const { oversized } = await readingOversizedLines([lines], scratch, ([file]) =>
    db.run(
      `CREATE OR REPLACE TABLE day_lines AS
       SELECT * FROM read_json(${sqlString(file!)}, format = 'newline_delimited',
                               columns = ${duckDbColumns()}, ignore_errors = true)`,
    ),
  )
  const [counts] = await db.all<{ unreadable: number }>(
    `SELECT count(*) FILTER (WHERE NOT (${readableLine})) AS unreadable FROM day_lines`,
  )
  return (counts?.unreadable ?? 0) + oversized
}
