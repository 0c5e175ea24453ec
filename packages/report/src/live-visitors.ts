import { openRange } from './open-range.js'

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
 * may be off by hours.
 */
export async function liveVisitors(options: LiveOptions): Promise<number> {
  const windowMs = options.windowMs ?? 5 * 60_000
  const since = new Date(options.now.getTime() - windowMs)
  // Events are loaded by their (client-corrected) time: an hour of slack keeps a late beacon that arrived just now.
  const db = await openRange({
    dataDir: options.dataDir,
    from: new Date(since.getTime() - hour),
    to: new Date(options.now.getTime() + hour),
    ...(options.writeKey ? { writeKey: options.writeKey } : {}),
  })
  try {
    const [row] = await db.all<{ n: number }>(
      `SELECT count(DISTINCT visitor) AS n FROM events
       WHERE NOT derived AND receivedAt > $since::TIMESTAMPTZ AND receivedAt <= $now::TIMESTAMPTZ`,
      { since: since.toISOString(), now: options.now.toISOString() },
    )
    return row?.n ?? 0
  } finally {
    db.close()
  }
}
