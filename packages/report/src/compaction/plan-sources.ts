import { join } from 'node:path'
import { compactedFolder, type DataFile, listDataFiles, readDayManifests } from '@spoor/log'
import { coveredFiles, filesByDay } from './day-files.js'

/** Where a range's events are read from. */
export interface Sources {
  /** Parquet files of compacted days whose files are unchanged since. */
  parquet: string[]
  /** NDJSON files no compacted day covers: late files, days not compacted yet, and files still being written. */
  ndjson: DataFile[]
  /** Unreadable lines the compacted days skipped. */
  unreadable: number
}

const day = 86_400_000
const startOfDay = (date: Date) => new Date(Math.floor(date.getTime() / day) * day)

/**
 * The files to read for events that arrived between `from` and `to`: for each arrival day, its Parquet file when its
 * manifest's files are all still there at the sizes it recorded (plus any file published since), else every NDJSON
 * file of the day. Files still being written (`*.ndjson.open`) are always read, so the report shows the current
 * minute.
 */
export async function planSources(dataDir: string, from: Date, to: Date): Promise<Sources> {
  const eventsRoot = join(dataDir, 'events')
  // Whole days: a manifest is checked against every file of its day.
  const files = await listDataFiles(eventsRoot, {
    from: startOfDay(from),
    to: new Date(startOfDay(to).getTime() + day - 1),
    includeOpen: true,
  })
  const manifests = await readDayManifests(dataDir)
  const sources: Sources = { parquet: [], ndjson: [], unreadable: 0 }
  for (const [dayName, dayFiles] of filesByDay(files)) {
    const published = dayFiles.filter((file) => !file.open)
    const open = dayFiles.filter((file) => file.open)
    const manifest = manifests.get(dayName)
    if (!manifest) {
      sources.ndjson.push(...dayFiles)
      continue
    }
    const now = new Map((await coveredFiles(eventsRoot, published)).map((file) => [file.path, file.size]))
    const intact = manifest.files.every((file) => now.get(file.path) === file.size)
    if (!intact) {
      sources.ndjson.push(...dayFiles)
      continue
    }
    const covered = new Set(manifest.files.map((file) => file.path))
    sources.parquet.push(join(compactedFolder(dataDir), manifest.parquet))
    sources.unreadable += manifest.unreadable
    sources.ndjson.push(...published.filter((file) => !covered.has(file.path.slice(eventsRoot.length + 1))), ...open)
  }
  return sources
}
