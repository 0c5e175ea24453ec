import { limits } from '@spoor/protocol'
import { planSources } from './compaction/plan-sources.js'
import { openDb } from './duckdb.js'
import { loadEvents } from './load-events.js'

/** What {@link liveVisitors} counts. */
export interface LiveOptions {
  dataDir: string
  now: Date
  writeKey?: string
  /** How far back "now" reaches, in ms (default 5 minutes, as Plausible's current visitors). */
  windowMs?: number
}

const hour = 3_600_000

/**
 * Visitors right now: distinct visitors with an event received within the window before `now`, read from the newest
 * files, the ones still being written included. Counted on `receivedAt`, the collector's clock: a visitor's own clock
 * may be off by hours, and a late beacon is activity now.
 */
export async function liveVisitors(options: LiveOptions): Promise<number> {
  const windowMs = options.windowMs ?? 5 * 60_000
  const since = new Date(options.now.getTime() - windowMs)
  // Files are laid out by arrival: the window's own files are the newest few.
  const sources = await planSources(options.dataDir, since, options.now)
  const db = await openDb()
  try {
    // Loading filters on the event's time, which is up to the collector's accepted client delay before its arrival.
    await loadEvents(db, {
      files: sources.ndjson,
      parquet: sources.parquet,
      parquetToDedupe: sources.parquetToDedupe,
      parquetTimes: sources.parquetTimes,
      derived: [],
      from: new Date(since.getTime() - limits.clientDelayMs),
      to: new Date(options.now.getTime() + hour),
      ...(options.writeKey ? { writeKey: options.writeKey } : {}),
    })
    const [row] = await db.all<{ n: number }>(
      `SELECT count(DISTINCT visitor_key) AS n FROM events
       WHERE receivedAt > $since::TIMESTAMPTZ AND receivedAt <= $now::TIMESTAMPTZ`,
      { since: since.toISOString(), now: options.now.toISOString() },
    )
    return row?.n ?? 0
  } finally {
    db.close()
  }
}
