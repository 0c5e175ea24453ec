import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { checkpointVersion, type DetectorCheckpoint } from '@spoor/carts'
import { compactedFolder } from '@spoor/log'
import { dayMs, dayOf, dayStart } from './day-names.js'
import type { DayPlan } from './plan-sources.js'

const hour = 3_600_000

/** Where a report's batch run of the cart detector can start instead of replaying the lines before. */
export interface CartsResumePoint {
  /** What the detector held at the end of a compacted day. */
  checkpoint: DetectorCheckpoint
  /** That day's end: the run goes on with the lines that arrived from then on. */
  at: Date
}

/**
 * The checkpoint a report resumes its cart decisions from, if one will do: that of the latest compacted day, no later
 * than the day the decisions are needed from (`undecidedFrom`) and ending no later than `decideAt`, whose carts were
 * decided to its end with the report's window, and whose checkpoint saw every line that arrived in it and in the
 * days its replay read (none of them has a file published since it was compacted, or still open, or was compacted
 * again since). Undefined when
 * none will, or when resuming would read more than the replay it replaces; the report then replays the lines.
 * `days` must plan every day from two windows, two recovery periods and a day before `undecidedFrom` on: a day not
 * planned is taken as seen.
 */
export async function cartsResumePoint(
  dataDir: string,
  days: DayPlan[],
  options: { undecidedFrom: Date; decideAt: Date; windowMs: number; recoverWithinMs: number },
): Promise<CartsResumePoint | undefined> {
  const { windowMs, recoverWithinMs } = options
  // The replay reads from here (see buildReport): resuming from a day ending before it would read more.
  const replayFrom = options.undecidedFrom.getTime() - windowMs - recoverWithinMs - hour
  const seenWhole = (from: number, until: number) =>
    days.every(
      (plan) =>
        dayStart(plan.day) + dayMs <= from || dayStart(plan.day) >= until || (plan.parquet && !plan.ndjson.length),
    )
  for (const plan of days.filter((p) => p.day <= dayOf(options.undecidedFrom)).reverse()) {
    const end = dayStart(plan.day) + dayMs
    if (end < replayFrom) return undefined
    const carts = plan.carts
    if (
      !carts?.checkpoint ||
      carts.windowMs !== windowMs ||
      carts.recoverWithinMs !== recoverWithinMs ||
      Date.parse(carts.decidedUntil) !== end ||
      end > options.decideAt.getTime() ||
      // An earlier day compacted again since (a late file) has lines its replay did not see.
      plan.toDedupe ||
      // Its replay read a day, a recovery period and a window before it (and before the carts left pending then).
      !seenWhole(dayStart(plan.day) - dayMs - recoverWithinMs - windowMs - hour, end)
    )
      continue
    const checkpoint = await readCheckpoint(join(compactedFolder(dataDir), carts.checkpoint))
    // One an older version wrote is not resumed from.
    if (checkpoint?.version === checkpointVersion) return { checkpoint, at: new Date(end) }
  }
  return undefined
}

// A checkpoint erasure deleted, or one a stopped write left unreadable, is no checkpoint: the lines are replayed.
async function readCheckpoint(path: string): Promise<DetectorCheckpoint | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as DetectorCheckpoint
  } catch {
    return undefined
  }
}
