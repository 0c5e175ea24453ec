import { readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { type Disk, nodeDisk } from '../disk.js'

/** One published NDJSON file a compacted day was made from, as it was then. */
export interface CoveredFile {
  /** Relative to `DATA/events`: `dt=YYYY-MM-DD/hour=HH/NAME.ndjson`. */
  path: string
  size: number
}

/**
 * What a compacted day holds: the Parquet file written from the day's published files, and those files as they were
 * when it was written. A reader trusts the Parquet file only while the day's files are still exactly these.
 */
export interface DayManifest {
  /** `YYYY-MM-DD`: the arrival day (the `dt=` partition) the files come from. */
  day: string
  /** The Parquet file's name, in the same folder. */
  parquet: string
  /**
   * The day's visit summaries (one row per visit and site), a Parquet file under the folder's {@link visitsFolder}:
   * `visits/dt=YYYY-MM-DD.<tag>.parquet`. Absent in a day compacted before there were any: the next compaction
   * writes the day again.
   */
  visits?: string
  /** The version of the summaries' columns (the report's `visitSummaryVersion`); another is read as none. */
  visitsVersion?: number
  files: CoveredFile[]
  /**
   * The modification time (ms) of the day's folder under `DATA/events` and of each hour folder of `files`, read just
   * before their sizes. A file there changes only by a rename or an unlink, which changes its folder's time: while
   * every folder still has its time, a reader may take the files as recorded without looking at each. Absent in a
   * day compacted before it was kept.
   */
  folders?: Record<string, number>
  /** Events in the Parquet file (readable and deduplicated by messageId within the day). */
  events: number
  /** Lines of the files that could not be read and are not in it. */
  unreadable: number
  /**
   * The earliest and latest event time (`timestamp`, ISO) among its events: a range that holds both reads the file
   * without testing each row's time. Absent in a day compacted before it was kept (a reader then tests every row).
   */
  times?: { first: string; last: string }
  /**
   * The version of the report's list of fields extracted into columns of their own (absent before there was one): a
   * reader that expects another reads the day's NDJSON files, and the next compaction writes the day again.
   */
  extractedColumns?: number
  /**
   * The Parquet files of the earlier days whose messageIds this day's file leaves out (a retry arrives after its first
   * copy, at most a week later): a reader may treat the days as holding no event twice only while those are still the
   * files of those days. Absent in a day compacted before days were deduplicated against each other.
   */
  dedupedAgainst?: string[]
  /**
   * The abandoned and recovered carts decided into the day's Parquet file: with which window and recovery period,
   * and up to when (ISO time; decisions due later are the report's to make). Absent in a day compacted without.
   */
  carts?: {
    windowMs: number
    recoverWithinMs: number
    /** ISO time: the decisions made on lines that arrived before it are in the Parquet file. */
    decidedUntil: string
    /** ISO time: the earliest deadline of a cart due by then that no line arrived to decide yet (this day's or earlier). */
    pendingFrom?: string
    /**
     * What the detector held once it had seen the day's lines (the carts' `DetectorCheckpoint`), a JSON file under the
     * folder's {@link cartsFolder}: `carts/dt=YYYY-MM-DD.<tag>.json`. A report resumes from it instead of replaying the
     * day and the one before. It holds personal data: erasure drops it with its day (see {@link daysDecidingAfter}), and
     * a reader finding it gone replays the lines instead.
     */
    checkpoint?: string
  }
}

/** The folder of compacted days: `DATA/compacted`. */
export const compactedFolder = (dataDir: string) => join(dataDir, 'compacted')

/** The subfolder of `DATA/compacted` for the days' visit summaries, apart so that `compacted/*.parquet` is events. */
export const visitsFolder = 'visits'

/** The subfolder of `DATA/compacted` for the days' cart detector checkpoints. */
export const cartsFolder = 'carts'

/** A day's manifest: `DATA/compacted/dt=YYYY-MM-DD.json`. */
export const manifestPath = (dataDir: string, day: string) => join(compactedFolder(dataDir), `dt=${day}.json`)

const manifestName = /^dt=(\d{4}-\d{2}-\d{2})\.json$/

/** Reads one day's manifest; a missing or unreadable one is no compacted day (the NDJSON files are read instead). */
export async function readDayManifest(dataDir: string, day: string): Promise<DayManifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(manifestPath(dataDir, day), 'utf8')) as DayManifest
    return manifest.day === day && typeof manifest.parquet === 'string' && Array.isArray(manifest.files)
      ? manifest
      : undefined
  } catch {
    return undefined
  }
}

/**
 * Every compacted day's manifest, by day, oldest first; with `days`, only those of the days from `first` to `last`
 * (`YYYY-MM-DD`, both included). A view reads its range's: a manifest lists each of its day's files, 130 KB at ten
 * million events a month, so reading a year of them for a month's view would cost about a second.
 */
export async function readDayManifests(
  dataDir: string,
  days?: { first: string; last: string },
): Promise<Map<string, DayManifest>> {
  const names = await readdir(compactedFolder(dataDir)).catch(() => [] as string[])
  const wanted = names.sort().flatMap((name) => {
    const day = manifestName.exec(name)?.[1]
    return day && (!days || (day >= days.first && day <= days.last)) ? [day] : []
  })
  const read = await Promise.all(wanted.map((day) => readDayManifest(dataDir, day)))
  const manifests = new Map<string, DayManifest>()
  for (const manifest of read) if (manifest) manifests.set(manifest.day, manifest)
  return manifests
}

/**
 * Removes a compacted day: its manifest first (from then on readers use the day's NDJSON files), then its Parquet
 * file, then the folder entry is synced. Erasure calls it for every day it rewrote, so no copy of the erased lines
 * stays in a columnar file; compacting again rebuilds the day from what the files now hold.
 */
export async function dropCompactedDay(dataDir: string, day: string, disk: Disk = nodeDisk): Promise<boolean> {
  const manifest = await readDayManifest(dataDir, day)
  const gone = (error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  let dropped = false
  await disk.unlink(manifestPath(dataDir, day)).then(() => {
    dropped = true
  }, gone)
  if (manifest) await disk.unlink(join(compactedFolder(dataDir), manifest.parquet)).catch(gone)
  if (manifest?.visits) await disk.unlink(join(compactedFolder(dataDir), manifest.visits)).catch(gone)
  if (manifest?.carts?.checkpoint)
    await disk.unlink(join(compactedFolder(dataDir), manifest.carts.checkpoint)).catch(gone)
  // Files of the day left by a compaction that stopped before its manifest: they may hold the lines too (and the
  // visit summaries, their visitors and pages; the checkpoints, their carts).
  const prefix = `dt=${day}.`
  const folders = [
    compactedFolder(dataDir),
    ...[visitsFolder, cartsFolder].map((f) => join(compactedFolder(dataDir), f)),
  ]
  for (const folder of folders) {
    for (const name of await readdir(folder).catch(() => [] as string[])) {
      if (name.startsWith(prefix) && /\.(parquet|json)$/.test(name)) await unlink(join(folder, name)).catch(gone)
      if (name.startsWith(`.${prefix}`)) await unlink(join(folder, name)).catch(gone)
    }
  }
  if (dropped || manifest) {
    await disk.syncDirectory(compactedFolder(dataDir))
    if (manifest?.visits) await disk.syncDirectory(join(compactedFolder(dataDir), visitsFolder))
  }
  return dropped
}

const dayMs = 86_400_000
const dayStart = (day: string) => Date.parse(`${day}T00:00:00.000Z`)

/**
 * The compacted days after the `touched` ones whose cart decisions, or whose detector checkpoint, may be about a
 * visitor whose lines only the touched days hold. A compaction decides a cart on the first line after its deadline
 * (a window after the visitor's last activity), and a recovery on the order's next line; it holds a closed cart a
 * recovery period and two windows longer. So from the first touched day on: every compacted day that starts before
 * the last touched day's end plus two windows, a recovery period and a day; then each day after, as long as the day
 * before it left carts pending from before that point (no line arrived to decide them, see `carts.pendingFrom`).
 * Erasure drops these days with the touched ones: their Parquet files hold the batch run's decisions, which are in no
 * NDJSON file.
 */
export function daysDecidingAfter(manifests: Map<string, DayManifest>, touched: string[]): string[] {
  const sorted = [...touched].sort()
  const first = sorted[0]
  const last = sorted.at(-1)
  if (!first || !last) return []
  const reached: string[] = []
  let pendingBefore: string | undefined
  for (const [day, manifest] of [...manifests].sort(([a], [b]) => a.localeCompare(b))) {
    const carts = manifest.carts
    // A day compacted without cart decisions holds none.
    if (day <= first || !carts) continue
    const horizon = dayStart(last) + 2 * dayMs + 2 * carts.windowMs + carts.recoverWithinMs
    const pendingFromBefore = pendingBefore !== undefined && Date.parse(pendingBefore) < horizon
    if (!touched.includes(day) && dayStart(day) >= horizon && !pendingFromBefore) break
    if (!touched.includes(day)) reached.push(day)
    pendingBefore = carts.pendingFrom
  }
  return reached
}
