import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api'

/** A DuckDB connection with the one method the report needs. */
export interface Db {
  /** Runs a query and returns its rows, BIGINTs as numbers and timestamps as Dates. */
  all<T = Record<string, unknown>>(sql: string, params?: Record<string, DuckDBValue>): Promise<T[]>
  run(sql: string, params?: Record<string, DuckDBValue>): Promise<void>
  /** Stops the statement running now, which then fails (DuckDB's "Interrupted"). */
  interrupt(): void
  close(): void
}

const toJs = (value: unknown): unknown => {
  if (typeof value === 'bigint') return Number(value)
  if (Array.isArray(value)) return value.map(toJs)
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJs(v)]))
  }
  return value
}

// With SPOOR_REPORT_TIMING set, each statement's time goes to stderr: where a slow report spends it.
const timed = (sql: string, start: number) => {
  if (!process.env.SPOOR_REPORT_TIMING) return
  const ms = Math.round(performance.now() - start)
  process.stderr.write(
    `${String(ms).padStart(6)} ms  ${sql
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, Number(process.env.SPOOR_REPORT_TIMING_CHARS ?? 110))}\n`,
  )
}

/**
 * Opens an in-memory DuckDB whose tables are compressed (as a database file's are; an in-memory database's are not
 * by default), so a month of events takes a fraction of the memory, and its tables are ordinary ones: a temporary
 * table is never compressed. The module is imported here, on first use, so that `spoor serve` without the
 * dashboard never loads its native library.
 *
 * @param memoryLimit - DuckDB's memory_limit (default 512MB: the report runs beside the collector)
 * @param threads - DuckDB's worker threads (default 2)
 */
export async function openDb(memoryLimit = '512MB', threads = 2): Promise<Db> {
  const { DuckDBInstance } = await import('@duckdb/node-api')
  // Past the memory limit DuckDB writes to disk here rather than failing: an in-memory database has nowhere else.
  const spill = mkdtempSync(join(tmpdir(), 'spoor-duckdb-'))
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: memoryLimit,
    threads: String(threads),
    temp_directory: spill,
  })
  const connection: DuckDBConnection = await instance.connect()
  await connection.run(`SET TimeZone = 'UTC'`)
  // A report's forty-odd queries read the same compacted days: with the Parquet footers kept after the first read,
  // the others skip reading and parsing them again (at 10M events, 82 files: about 0.7 s of the SQL's 12.4 s). A
  // compacted file is never rewritten in place (a new one is written under a new name), and DuckDB checks a cached
  // footer against the file's modification time anyway.
  await connection.run('SET parquet_metadata_cache = true')
  // Compressed, at a month of a shop's traffic (1M events): peak RSS 1,128 MB -> about 850 MB, and faster, as
  // less memory is written and read. A database file compresses too, but writing it took twice as long.
  await connection.run(`ATTACH ':memory:' AS report (COMPRESS)`)
  await connection.run('USE report')
  return {
    async all<T>(sql: string, params?: Record<string, DuckDBValue>) {
      const start = performance.now()
      const reader = await connection.runAndReadAll(sql, params)
      timed(sql, start)
      return reader.getRowObjectsJS().map((row) => toJs(row)) as T[]
    },
    async run(sql, params) {
      const start = performance.now()
      await connection.run(sql, params)
      timed(sql, start)
    },
    interrupt: () => connection.interrupt(),
    close: () => {
      connection.closeSync()
      instance.closeSync()
      rmSync(spill, { recursive: true, force: true })
    },
  }
}

/** `db`, each of whose statements fails at once when `signal` is aborted. */
export const stoppable = (db: Db, signal: AbortSignal): Db => ({
  ...db,
  async all(sql, params) {
    signal.throwIfAborted()
    return db.all(sql, params)
  },
  async run(sql, params) {
    signal.throwIfAborted()
    return db.run(sql, params)
  },
})
