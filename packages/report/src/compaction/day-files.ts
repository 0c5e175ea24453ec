import { stat } from 'node:fs/promises'
import { relative, sep } from 'node:path'
import type { CoveredFile, DataFile, DayManifest } from '@spoor/log'

/** `YYYY-MM-DD` of a file's `dt=` partition (its arrival day). */
export const dayOfFile = (file: DataFile) => file.partition.slice(3, 13)

/** Published files grouped by arrival day, in day order. */
export function filesByDay(files: DataFile[]): Map<string, DataFile[]> {
  const days = new Map<string, DataFile[]>()
  for (const file of files) {
    const day = dayOfFile(file)
    // Pushed in place: copying the day's list for each of its thousands of files made this quadratic.
    const list = days.get(day)
    if (list) list.push(file)
    else days.set(day, [file])
  }
  return new Map([...days].sort(([a], [b]) => a.localeCompare(b)))
}

/** A listed file's path as a manifest records it: under `DATA/events` (`dt=…/hour=…/NAME.ndjson`). */
export function pathUnderRoot(eventsRoot: string): (path: string) => string {
  // A listed file's path starts with the root's: cut, rather than `relative` normalising both for each file.
  const prefix = eventsRoot + sep
  return (path) => (path.startsWith(prefix) ? path.slice(prefix.length) : relative(eventsRoot, path))
}

/**
 * The files as a manifest records them: path under `DATA/events` and size now. A file that vanished meanwhile (an
 * erasure left it empty) is left out.
 */
export async function coveredFiles(eventsRoot: string, files: DataFile[]): Promise<CoveredFile[]> {
  const underRoot = pathUnderRoot(eventsRoot)
  const covered: (CoveredFile | undefined)[] = []
  // Many small stats: a few at a time rather than one after the other.
  for (let i = 0; i < files.length; i += 64) {
    const batch = files.slice(i, i + 64)
    covered.push(
      ...(await Promise.all(
        batch.map(async (file) => {
          const stats = await stat(file.path).catch(() => undefined)
          return stats ? { path: underRoot(file.path), size: stats.size } : undefined
        }),
      )),
    )
  }
  return covered.filter((file): file is CoveredFile => file !== undefined)
}

/** Whether a manifest covers exactly these files, at these sizes (else its Parquet file is out of date). */
export function coversExactly(manifest: DayManifest, files: CoveredFile[]): boolean {
  if (manifest.files.length !== files.length) return false
  const sizes = new Map(manifest.files.map((file) => [file.path, file.size]))
  return files.every((file) => sizes.get(file.path) === file.size)
}
