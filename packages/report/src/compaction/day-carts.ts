import { createCartDetector, detectInFiles } from '@spoor/carts'
import type { DataFile } from '@spoor/log'
import { writeCartHistory } from '../cart-history.js'
import type { Db } from '../duckdb.js'

const hour = 3_600_000
const day = 24 * hour

/** How long after an abandonment an order still recovers the cart: the report's and the collector's 24 hours. */
export const recoverWithinMs = day

/** The cart decisions a compacted day holds, as its manifest records them. */
export interface DayCarts {
  windowMs: number
  recoverWithinMs: number
  /** ISO time: the day's decisions due before it are in its Parquet file (the day's end, or when it was compacted). */
  decidedUntil: string
}

/**
 * Decides, as the report's batch run does, the abandoned and recovered carts of one arrival day that are due by its
 * end (or by `now`, for the day still going on): the detector replays the lines of the cart visitors from a window
 * and a recovery period before the day (the earlier days' Parquet files) through the day's own files. Keeps the
 * decisions timed within the day: an earlier one may miss history before the replay began.
 *
 * @returns the decisions (as lines), and what the manifest records of them
 */
export async function decideDayCarts(
  db: Db,
  options: { day: string; files: string[]; earlier: string[]; windowMs: number; now: Date; scratch: string },
): Promise<{ decided: object[]; carts: DayCarts }> {
  const start = Date.parse(`${options.day}T00:00:00.000Z`)
  const decidedUntil = new Date(Math.min(start + day, options.now.getTime()))
  const ndjson: DataFile[] = options.files.map((path) => ({ path, partition: '', hour: new Date(0), open: false }))
  const history = await writeCartHistory(db, { parquet: options.earlier, ndjson }, options.scratch)
  const decided = await detectInFiles(createCartDetector({ windowMs: options.windowMs, recoverWithinMs }), '', {
    now: decidedUntil,
    files: [history],
  })
  return {
    decided: decided.filter((line) => Date.parse(line.timestamp) >= start),
    carts: { windowMs: options.windowMs, recoverWithinMs, decidedUntil: decidedUntil.toISOString() },
  }
}
