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
  /** Events in the Parquet file (readable and deduplicated by messageId within the day). */
  events: number
  /** Lines of the files that could not be read and are not in it. */
  unreadable: number
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
  }
}

/** The folder of compacted days: `DATA/compacted`. */
export const compactedFolder = (dataDir: string) => join(dataDir, 'compacted')

/** The subfolder of `DATA/compacted` for the days' visit summaries, apart so that `compacted/*.parquet` is events. */
export const visitsFolder = 'visits'

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

/** Every compacted day's manifest, by day. */
export async function readDayManifests(dataDir: string): Promise<Map<string, DayManifest>> {
  const names = await readdir(compactedFolder(dataDir)).catch(() => [] as string[])
  const manifests = new Map<string, DayManifest>()
  for (const name of names.sort()) {
    const day = manifestName.exec(name)?.[1]
    const manifest = day && (await readDayManifest(dataDir, day))
    if (manifest) manifests.set(manifest.day, manifest)
  }
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
  // Parquet files of the day left by a compaction that stopped before its manifest: they may hold the lines too (and
  // the visit summaries, their visitors and pages).
  const prefix = `dt=${day}.`
  for (const folder of [compactedFolder(dataDir), join(compactedFolder(dataDir), visitsFolder)]) {
    for (const name of await readdir(folder).catch(() => [] as string[])) {
      if (name.startsWith(prefix) && name.endsWith('.parquet')) await unlink(join(folder, name)).catch(gone)
      if (name.startsWith(`.${prefix}`)) await unlink(join(folder, name)).catch(gone)
    }
  }
  if (dropped || manifest) {
    await disk.syncDirectory(compactedFolder(dataDir))
    if (manifest?.visits) await disk.syncDirectory(join(compactedFolder(dataDir), visitsFolder))
  }
  return dropped
}
