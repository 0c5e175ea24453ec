import { createCartDetector, type DetectorCheckpoint, detectInFiles } from '@spoor/carts'
import type { DataFile, DayManifest } from '@spoor/log'
import { writeCartHistory } from '../cart-history.js'
import type { Db } from '../duckdb.js'
import { dayMs, dayStart } from './day-names.js'

/** How long after an abandonment an order still recovers the cart: the report's and the collector's 24 hours. */
export const recoverWithinMs = dayMs

/** The cart decisions a compacted day holds, as its manifest records them (`DayManifest.carts`). */
export type DayCarts = NonNullable<DayManifest['carts']>

/** The abandoned-cart window when none is given: the report's, `spoor compact`'s and the dashboard's 60 minutes. */
export const defaultCartWindowMs = 60 * 60_000

/**
 * Decides, as the report's batch run does, the abandoned and recovered carts of one arrival day: the detector replays
 * the lines of the cart visitors from a window and a recovery period before the day (the earlier days' Parquet
 * files) through the day's own files. A decision belongs to the day it was made in, as a line the collector writes
 * belongs to the day it arrived in: the detector decides a cart when the first line after its deadline arrives,
 * stamping that arrival. So the day keeps the decisions made on its own lines' arrivals, and leaves to the next day
 * (or the report) those that only its end would make: made then, they would arrive before the collector's own copy,
 * written when that next line came, and take its place.
 *
 * Also hands back what the detector held once it had seen the day's lines, before the clock moved to the day's end:
 * a report that resumes from it decides the carts of the lines after the day as this run would have, had it gone on.
 *
 * @returns the decisions (as lines), what the manifest records of them, and the detector's checkpoint
 */
export async function decideDayCarts(
  db: Db,
  options: {
    day: string
    files: string[]
    /** The earlier days' Parquet files, from a window and a recovery period before the day (or the carts pending). */
    earlier: string[]
    windowMs: number
    now: Date
    scratch: string
    /** The earliest deadline the day before left pending (its manifest's `carts.pendingFrom`). */
    pendingBefore?: string | undefined
  },
): Promise<{ decided: object[]; carts: DayCarts; checkpoint: DetectorCheckpoint }> {
  const start = dayStart(options.day)
  const decidedUntil = new Date(Math.min(start + dayMs, options.now.getTime()))
  const ndjson: DataFile[] = options.files.map((path) => ({ path, partition: '', hour: new Date(0), open: false }))
  const history = await writeCartHistory(db, { parquet: options.earlier, ndjson }, options.scratch)
  let checkpoint: DetectorCheckpoint | undefined
  const decided = await detectInFiles(createCartDetector({ windowMs: options.windowMs, recoverWithinMs }), '', {
    now: decidedUntil,
    files: [history],
    onCheckpoint: (saved) => {
      checkpoint = saved
    },
  })
  const madeAt = (line: { receivedAt: string }) => Date.parse(line.receivedAt)
  const pending = decided.filter((line) => madeAt(line) >= decidedUntil.getTime()).map((line) => line.timestamp)
  const carts: DayCarts = { windowMs: options.windowMs, recoverWithinMs, decidedUntil: decidedUntil.toISOString() }
  if (pending.length) carts.pendingFrom = pending.sort()[0]!
  // A cart the day before left pending is this day's to decide, even on a line that arrived before midnight: its
  // visitor's lines were not in that day's replay, which had not seen them reach a cart yet.
  const keepFrom = Math.min(start, options.pendingBefore ? Date.parse(options.pendingBefore) : start)
  return {
    decided: decided.filter((line) => madeAt(line) >= keepFrom && madeAt(line) < decidedUntil.getTime()),
    carts,
    checkpoint: checkpoint!,
  }
}
