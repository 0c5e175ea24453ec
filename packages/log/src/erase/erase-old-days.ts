import { readdir, rmdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { cartsFolder, compactedFolder, dropCompactedDay, visitsFolder } from '../compacted/compacted-day.js'
import { type Disk, nodeDisk } from '../disk.js'
import { removeOldErasureNotices } from './erasure-notice.js'

/** What {@link eraseDaysBefore} removed (or, in a dry run, would remove). */
export interface OldDaysReport {
  /** The arrival days (`YYYY-MM-DD`) it reached, oldest first. */
  days: string[]
  /** Published and refused NDJSON files removed. */
  files: number
  /** Their bytes. */
  bytes: number
  /** Files of those days still being written (`*.ndjson.open`, a collector's or one a crash left): kept. */
  openFiles: string[]
}

/** The folders holding NDJSON partitions: what the collector accepted, and what it refused. */
const partitionRoots = ['events', 'rejected']

const dayOfName = /^\.?dt=(\d{4}-\d{2}-\d{2})(?:$|\.)/

/** The arrival days before `before` that any of the data folder's parts names, oldest first. */
async function daysBefore(dataDir: string, before: string): Promise<string[]> {
  const folders = [
    ...partitionRoots.map((root) => join(dataDir, root)),
    compactedFolder(dataDir),
    join(compactedFolder(dataDir), visitsFolder),
    join(compactedFolder(dataDir), cartsFolder),
  ]
  const days = new Set<string>()
  for (const folder of folders) {
    for (const name of await readdir(folder).catch(() => [] as string[])) {
      const day = dayOfName.exec(name)?.[1]
      if (day && day < before) days.add(day)
    }
  }
  return [...days].sort()
}

/**
 * Removes every event that arrived before the UTC day `before` (`YYYY-MM-DD`), by whole arrival days: each day's
 * compacted files first (its manifest, Parquet file, visit summaries and cart checkpoint, as erasure drops them),
 * then its published and refused NDJSON files, then its emptied folders. A retention policy in one call: the data
 * folder keeps no copy of those days anywhere. A file still being written is left and listed; a later run takes it
 * once published. Each step removes whole files, so a crash leaves some days gone and the rest whole: run it again.
 *
 * @example
 * // keep 13 months
 * await eraseDaysBefore('./data', '2025-11-01')
 */
export async function eraseDaysBefore(
  dataDir: string,
  before: string,
  options: { dryRun?: boolean; disk?: Disk } = {},
): Promise<OldDaysReport> {
  const disk = options.disk ?? nodeDisk
  const report: OldDaysReport = { days: await daysBefore(dataDir, before), files: 0, bytes: 0, openFiles: [] }
  if (!options.dryRun) await removeOldErasureNotices(dataDir)
  for (const day of report.days) {
    if (!options.dryRun) await dropCompactedDay(dataDir, day, disk)
    for (const root of partitionRoots) {
      const dayFolder = join(dataDir, root, `dt=${day}`)
      const hours = await readdir(dayFolder).catch(() => [] as string[])
      for (const hour of hours) {
        if (!/^hour=\d{2}$/.test(hour)) continue
        const hourFolder = join(dayFolder, hour)
        const names = await readdir(hourFolder).catch(() => [] as string[])
        for (const name of names) {
          const path = join(hourFolder, name)
          if (name.endsWith('.ndjson.open')) {
            report.openFiles.push(path)
            continue
          }
          if (!name.endsWith('.ndjson')) continue
          report.files++
          report.bytes += (await stat(path)).size
          if (!options.dryRun) await disk.unlink(path)
        }
        // An hour still holding an open file stays: its removals are synced in it.
        if (!options.dryRun && !(await removeIfEmpty(hourFolder, disk)) && names.length)
          await disk.syncDirectory(hourFolder)
      }
      if (!options.dryRun) await removeIfEmpty(dayFolder, disk)
    }
  }
  return report
}

/** Removes a folder left empty (one holding an open file, or anything not ours, stays), its removal synced. */
async function removeIfEmpty(folder: string, disk: Disk): Promise<boolean> {
  try {
    await rmdir(folder)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOENT' || code === 'ENOTDIR') return false
    throw error
  }
  await disk.syncDirectory(join(folder, '..'))
  return true
}
