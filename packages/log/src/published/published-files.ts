import { readdir } from 'node:fs/promises'
import { join, sep } from 'node:path'

/** One file under `DATA/events` (or `DATA/rejected`), with the hour of arrival its partition stands for. */
export interface DataFile {
  path: string
  /** `dt=YYYY-MM-DD/hour=HH` */
  partition: string
  /** The start of the partition's hour, UTC. */
  hour: Date
  /** Still being written (`*.ndjson.open`): loaders, the report and erasure leave it alone. */
  open: boolean
}

const partitionPattern = /^dt=(\d{4}-\d{2}-\d{2})$/
const hourPattern = /^hour=(\d{2})$/

/** Which files {@link listDataFiles} lists. */
export interface ListOptions {
  /** Only partitions whose hour ends after this time. */
  from?: Date
  /** Only partitions whose hour starts at or before this time. */
  to?: Date
  /** Also list files still being written (default false). */
  includeOpen?: boolean
}

/**
 * The NDJSON files of a log folder (`DATA/events`), oldest partition first and, within one, in the order they
 * were opened (their names start with the opening time). Folders that are not partitions are skipped; a missing
 * folder is an empty list.
 */
export async function listDataFiles(root: string, options: ListOptions = {}): Promise<DataFile[]> {
  const files: DataFile[] = []
  // Each folder's entries sorted by name as they are read, in plain code-unit order: the list comes out in order
  // with no sort of the whole (a locale-aware sort of a month's files, tens of thousands, took most of a listing).
  const sorted = <T extends { name: string }>(entries: T[]) =>
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const days = sorted(await readdir(root, { withFileTypes: true }).catch(() => []))
  for (const day of days) {
    const dayMatch = day.isDirectory() && partitionPattern.exec(day.name)
    if (!dayMatch) continue
    // A day none of whose hours is wanted is not read: a month's view of a year of days lists a month of folders.
    const dayStart = Date.parse(`${dayMatch[1]}T00:00:00.000Z`)
    if (options.from && dayStart + 86_400_000 <= options.from.getTime()) continue
    if (options.to && dayStart > options.to.getTime()) continue
    const hours = sorted(await readdir(join(root, day.name), { withFileTypes: true }).catch(() => []))
    for (const hourEntry of hours) {
      const hourMatch = hourEntry.isDirectory() && hourPattern.exec(hourEntry.name)
      if (!hourMatch) continue
      const hour = new Date(`${dayMatch[1]}T${hourMatch[1]}:00:00.000Z`)
      if (options.from && hour.getTime() + 3_600_000 <= options.from.getTime()) continue
      if (options.to && hour.getTime() > options.to.getTime()) continue
      const dir = join(root, day.name, hourEntry.name)
      const partition = `${day.name}/${hourEntry.name}`
      for (const entry of sorted(await readdir(dir, { withFileTypes: true }).catch(() => []))) {
        if (!entry.isFile()) continue
        const open = entry.name.endsWith('.ndjson.open')
        if (!entry.name.endsWith('.ndjson') && !(open && options.includeOpen)) continue
        // The folder's path is already normal: joined by hand, not normalised again for each of its files.
        files.push({ path: `${dir}${sep}${entry.name}`, partition, hour, open })
      }
    }
  }
  return files
}
