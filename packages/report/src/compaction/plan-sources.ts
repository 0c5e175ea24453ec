import { join } from 'node:path'
import { compactedFolder, type DataFile, type DayManifest, listDataFiles, readDayManifests } from '@spoor/log'
import { extractedColumnsVersion } from '../loaders/extracted-columns.js'
import { visitSummaryVersion } from '../sql/visits.js'
import { filesByDay, pathUnderRoot } from './day-files.js'
import { dayMs, dayOf } from './day-names.js'
import { earlierDays } from './earlier-days.js'
import { coveredFilesUnchanged } from './files-unchanged.js'

/** Where a range's events are read from. */
export interface Sources {
  /** Parquet files of compacted days whose files are unchanged since. */
  parquet: string[]
  /**
   * Those of them that may hold an event another of them holds too: a day whose earlier days' Parquet files changed
   * after it was compacted (or that was compacted before days were deduplicated against each other). The others hold
   * no messageId another Parquet file of the list holds within a week.
   */
  parquetToDedupe: string[]
  /**
   * The visit summaries of those days (see `sql/visits.ts`), when every one of them has its own: else undefined, and
   * the visits are summed up from the lines.
   */
  visits?: string[]
  /** NDJSON files no compacted day covers: late files, days not compacted yet, and files still being written. */
  ndjson: DataFile[]
  /** Unreadable lines the compacted days skipped. */
  unreadable: number
  /** The first and last event time of each of `parquet` whose day recorded them (see `DayManifest.times`). */
  parquetTimes: Map<string, EventTimes>
}

/** The earliest and latest event time in a compacted day's Parquet file. */
export interface EventTimes {
  first: Date
  last: Date
}

const startOfDay = (date: Date) => new Date(Math.floor(date.getTime() / dayMs) * dayMs)

/** One arrival day's part of a plan: its Parquet file if it is intact, and the NDJSON files to read beside it. */
export interface DayPlan {
  day: string
  parquet?: string
  /** Its visit summaries, when it was compacted with them. */
  visits?: string
  /** Whether the day's Parquet file may hold an event another day's does (see {@link Sources.parquetToDedupe}). */
  toDedupe?: boolean
  /** The cart decisions its Parquet file holds. */
  carts?: DayManifest['carts']
  /** The first and last event time in its Parquet file, when its manifest recorded them. */
  times?: EventTimes
  ndjson: DataFile[]
  unreadable: number
}

/**
 * The files to read for events that arrived between `from` and `to`: for each arrival day, its Parquet file when its
 * manifest's files are all still there at the sizes it recorded and it has the extracted columns the panels read
 * (plus any file published since), else every NDJSON
 * file of the day. Files still being written (`*.ndjson.open`) are always read, so the report shows the current
 * minute.
 */
export async function planSources(dataDir: string, from: Date, to: Date): Promise<Sources> {
  return sourcesWithin(await planDays(dataDir, from, to), from, to)
}

/** The sources of the days of a plan that fall between `from` and `to` (whole days, as {@link planSources} reads). */
export function sourcesWithin(days: DayPlan[], from: Date, to: Date): Sources {
  const first = dayOf(from)
  const last = dayOf(to)
  const sources: Sources = {
    parquet: [],
    parquetToDedupe: [],
    visits: [],
    ndjson: [],
    unreadable: 0,
    parquetTimes: new Map(),
  }
  for (const plan of days) {
    if (plan.day < first || plan.day > last) continue
    if (plan.parquet) sources.parquet.push(plan.parquet)
    if (plan.parquet && plan.times) sources.parquetTimes.set(plan.parquet, plan.times)
    if (plan.parquet && plan.visits) sources.visits?.push(plan.visits)
    else if (plan.parquet) delete sources.visits
    if (plan.parquet && plan.toDedupe) sources.parquetToDedupe.push(plan.parquet)
    sources.ndjson.push(...plan.ndjson)
    sources.unreadable += plan.unreadable
  }
  return sources
}

/**
 * {@link planSources} day by day, so that one look at the files (a stat of each, against its day's manifest) serves
 * several ranges within it.
 */
export async function planDays(dataDir: string, from: Date, to: Date): Promise<DayPlan[]> {
  const eventsRoot = join(dataDir, 'events')
  const underRoot = pathUnderRoot(eventsRoot)
  // Whole days: a manifest is checked against every file of its day.
  const files = await listDataFiles(eventsRoot, {
    from: startOfDay(from),
    to: new Date(startOfDay(to).getTime() + dayMs - 1),
    includeOpen: true,
  })
  const manifests = await readDayManifests(dataDir, { first: dayOf(from), last: dayOf(to) })
  const plans: DayPlan[] = []
  // The Parquet file read for each day planned so far.
  const readParquet = new Map<string, string>()
  for (const [dayName, dayFiles] of filesByDay(files)) {
    const published = dayFiles.filter((file) => !file.open)
    const open = dayFiles.filter((file) => file.open)
    const manifest = manifests.get(dayName)
    const unread = { day: dayName, ndjson: dayFiles, unreadable: 0 }
    // A day compacted with another list of extracted columns lacks some the panels read: its files are read instead.
    if (!manifest || manifest.extractedColumns !== extractedColumnsVersion) {
      plans.push(unread)
      continue
    }
    if (!(await coveredFilesUnchanged(eventsRoot, manifest, published))) {
      plans.push(unread)
      continue
    }
    const covered = new Set(manifest.files.map((file) => file.path))
    // Deduplicated against the Parquet files read for the week before it, as they are now, or some of its events
    // may be theirs too. (A day read from its files instead has its events deduplicated by the report.)
    const against = new Set(manifest.dedupedAgainst)
    const toDedupe =
      !manifest.dedupedAgainst ||
      earlierDays(dayName).some((d) => {
        const read = readParquet.get(d)
        return read !== undefined && !against.has(read)
      })
    readParquet.set(dayName, manifest.parquet)
    plans.push({
      day: dayName,
      parquet: join(compactedFolder(dataDir), manifest.parquet),
      ...(manifest.visits && manifest.visitsVersion === visitSummaryVersion
        ? { visits: join(compactedFolder(dataDir), manifest.visits) }
        : {}),
      toDedupe,
      ...(manifest.carts ? { carts: manifest.carts } : {}),
      ...(manifest.times
        ? { times: { first: new Date(manifest.times.first), last: new Date(manifest.times.last) } }
        : {}),
      ndjson: [...published.filter((file) => !covered.has(underRoot(file.path))), ...open],
      unreadable: manifest.unreadable,
    })
  }
  return plans
}

/**
 * From when the cart decisions of a range are not all in its compacted days, with this window: the start of the
 * first day (from `from`'s on) that is not compacted with its carts decided, or the time its decisions stop, or the
 * deadline of the earliest cart the compacted days left pending (no line arrived to decide it), whichever is first;
 * `to` when every day is decided and nothing pends. A day without any file counts as not decided.
 */
export function cartsUndecidedFrom(
  days: DayPlan[],
  from: Date,
  to: Date,
  carts: { windowMs: number; recoverWithinMs: number },
): Date {
  const matching = (plan: DayPlan | undefined) =>
    plan?.carts && plan.carts.windowMs === carts.windowMs && plan.carts.recoverWithinMs === carts.recoverWithinMs
      ? plan.carts
      : undefined
  const byDay = new Map(days.map((plan) => [plan.day, plan]))
  // Each decided day's pending carts include those the day before left: the latest one's are all that pend.
  const firstDay = dayOf(from)
  let pending = matching(days.filter((plan) => plan.day < firstDay).at(-1))?.pendingFrom
  const first = (point: number) =>
    new Date(Math.max(Math.min(point, pending ? Date.parse(pending) : point), from.getTime()))
  for (let start = startOfDay(from).getTime(); start < to.getTime(); start += dayMs) {
    const decided = matching(byDay.get(dayOf(start)))
    if (!decided) return first(start)
    pending = decided.pendingFrom
    const until = Date.parse(decided.decidedUntil)
    if (until < start + dayMs) return first(until)
  }
  return first(to.getTime())
}
