import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { DataFile, DayManifest } from '@spoor/log'
import { coveredFiles, pathUnderRoot } from './day-files.js'

/**
 * The modification time (ms) of a day's folder under `DATA/events` and of the hour folders of `files`, as
 * compaction records them (`DayManifest.folders`) just before it reads the files' sizes. A folder that cannot be
 * read is left out.
 */
export async function folderTimes(eventsRoot: string, day: string, files: DataFile[]): Promise<Record<string, number>> {
  const folders = [`dt=${day}`, ...new Set(files.map((file) => file.partition))]
  const times = await Promise.all(
    folders.map((folder) =>
      stat(join(eventsRoot, folder)).then(
        (stats) => stats.mtimeMs,
        () => undefined,
      ),
    ),
  )
  return Object.fromEntries(folders.flatMap((folder, i) => (times[i] === undefined ? [] : [[folder, times[i]]])))
}

/**
 * Whether a compacted day's files are as its manifest recorded them, by its folders alone: `times` (read now, see
 * {@link folderTimes}) are exactly the ones recorded (the same folders, none changed) and `files` (the day's listed
 * files) are the ones it lists. Then their sizes are the recorded ones, with no look at each file. False for a day
 * compacted before the times were kept. Both the report's plan and the next compaction judge a day by it.
 */
export function unchangedByFolders(
  eventsRoot: string,
  manifest: DayManifest,
  files: DataFile[],
  times: Record<string, number>,
): boolean {
  const recorded = Object.keys(manifest.folders ?? {})
  if (recorded.length === 0 || recorded.length !== Object.keys(times).length) return false
  if (!recorded.every((folder) => times[folder] === manifest.folders?.[folder])) return false
  if (manifest.files.length !== files.length) return false
  const underRoot = pathUnderRoot(eventsRoot)
  const listed = new Set(manifest.files.map((file) => file.path))
  return files.every((file) => listed.has(underRoot(file.path)))
}

/**
 * Whether every file a compacted day's manifest covers is still there at the size it recorded (files published
 * since are read beside the day, not against it). `published` is the day's listed files.
 *
 * A file under `DATA/events` changes only by a rename or an unlink: the collector publishes a minute's file by
 * renaming it, erasure renames a rewritten file over the old one or deletes it. Each changes its folder's
 * modification time. So while the day's folder and its hours' folders have the times the manifest recorded, the
 * files are as it recorded them, and about 25 folders are looked at instead of a day's 1,440 files: at ten million
 * events, planning a month's view took 0.5–0.9 s of stats of 53,000 files. The times are compared with the ones
 * recorded, not with a clock, as a file's times and the process's clock need not agree. Otherwise (the day still
 * being written, a late file, a day compacted before the times were kept) each file is looked at.
 */
export async function coveredFilesUnchanged(
  eventsRoot: string,
  manifest: DayManifest,
  published: DataFile[],
): Promise<boolean> {
  const underRoot = pathUnderRoot(eventsRoot)
  const listed = new Set(published.map((file) => underRoot(file.path)))
  if (!manifest.files.every((file) => listed.has(file.path))) return false
  if (
    manifest.folders &&
    unchangedByFolders(eventsRoot, manifest, published, await folderTimes(eventsRoot, manifest.day, published))
  ) {
    return true
  }
  const sizes = new Map((await coveredFiles(eventsRoot, published)).map((file) => [file.path, file.size]))
  return manifest.files.every((file) => sizes.get(file.path) === file.size)
}
