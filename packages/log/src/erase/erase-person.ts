import { join } from 'node:path'
import type { EventLine, RejectedLine } from '@spoor/protocol'
import { daysDecidingAfter, dropCompactedDay, readDayManifests } from '../compacted/compacted-day.js'
import type { Disk } from '../disk.js'
import { type DataFile, listDataFiles } from '../published/published-files.js'
import { fileLines } from '../published/read-lines.js'
import { belongsTo, declaredEmails, type ErasureTarget, link, type Person, personOf } from './person.js'
import { type FileOutcome, rewriteFile } from './rewrite-file.js'

/** Who to erase from where. */
export interface ErasureOptions {
  dataDir: string
  target: ErasureTarget
  /** Also erase the devices and emails the person's own events link to them (default true). */
  linked?: boolean
  /** Count what would go, change nothing (default false). */
  dryRun?: boolean
  /**
   * Asked before erasing when a link is in doubt (see {@link ErasureReport.doubts}); nothing is changed unless it
   * answers true (default: nothing is changed).
   */
  confirm?: (person: Person, doubts: string[]) => boolean | Promise<boolean>
  /** The file system files are rewritten on (default: Node's). */
  disk?: Disk
}

/** What an erasure removed, and what it could not. */
export interface ErasureReport {
  person: Person
  /** Files that held the person's lines, with how many went and how many stayed. */
  files: FileOutcome[]
  removed: number
  /** Files still being written that hold the person's lines: run again once they are published. */
  openFiles: string[]
  /** Published lines that still contain one of the identifiers as text somewhere (for a person to review). */
  leftovers: { path: string; lines: number }[]
  /**
   * Why the linked identifiers may not all be one person's: two user ids, or an account that also declared an
   * email other than the one named. Anyone who knows a site's write key can send a line naming any id beside any
   * email, so these are asked about, not assumed.
   */
  doubts: string[]
  /** False when doubts were not confirmed: nothing was changed. */
  done: boolean
  /**
   * Compacted days (`YYYY-MM-DD`) dropped because a file of theirs was rewritten: until compacted again, the report
   * reads those days from the NDJSON files.
   */
  droppedDays: string[]
}

const parse = <T>(text: string): T | undefined => {
  try {
    return JSON.parse(text) as T
  } catch {
    return undefined
  }
}

const dayOf = (path: string) => /[/\\]dt=(\d{4}-\d{2}-\d{2})[/\\]/.exec(path)?.[1]

/** A cheap test on the raw text before parsing: does the line contain any of the identifiers at all? */
const quickTest = (person: Person) => {
  const ids = [...person.userIds, ...person.anonymousIds].flatMap((id) => [JSON.stringify(id), `:${id},`, `:${id}}`])
  // An email in a URL is often percent-encoded.
  const emails = [...person.emails].flatMap((email) => [email, email.replace('@', '%40')])
  return (text: string) =>
    ids.some((id) => text.includes(id)) ||
    (emails.length > 0 && emails.some((email) => text.toLowerCase().includes(email)))
}

/** Lines of a file that `test` picks; a file erasure deleted counts none. */
async function countLines(path: string, test: (text: string) => boolean): Promise<number> {
  let count = 0
  try {
    for await (const text of fileLines(path)) if (test(text)) count++
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  return count
}

async function findLinked(files: DataFile[], person: Person): Promise<void> {
  // Each pass may bring identifiers that link lines seen earlier; two or three passes settle it.
  for (let pass = 0; pass < 10; pass++) {
    let grew = false
    const test = quickTest(person)
    for (const file of files) {
      for await (const text of fileLines(file.path)) {
        if (!test(text)) continue
        const line = parse<EventLine>(text)
        if (line && link(line, person)) grew = true
      }
    }
    if (!grew) return
  }
}

/** The emails each of the person's user ids declared, read from every line that names one of them. */
async function declaredBy(files: DataFile[], person: Person): Promise<Map<string, Set<string>>> {
  const declared = new Map<string, Set<string>>()
  const test = quickTest(person)
  for (const file of files) {
    for await (const text of fileLines(file.path)) {
      if (!test(text)) continue
      const line = parse<EventLine>(text)
      if (!line?.userId || !person.userIds.has(line.userId)) continue
      const emails = declared.get(line.userId) ?? new Set()
      for (const email of declaredEmails(line)) emails.add(email)
      declared.set(line.userId, emails)
    }
  }
  return declared
}

/** What makes the links in doubt (see {@link ErasureReport.doubts}). */
async function doubtsAbout(files: DataFile[], person: Person, target: ErasureTarget): Promise<string[]> {
  const doubts: string[] = []
  if (person.userIds.size > 1)
    doubts.push(`the identifiers link ${person.userIds.size} user ids: ${[...person.userIds].join(', ')}`)
  if ('email' in target) {
    const named = target.email.trim().toLowerCase()
    for (const [userId, emails] of await declaredBy(files, person)) {
      const others = [...emails].filter((email) => email !== named)
      if (others.length) doubts.push(`user id ${userId} also declared ${others.join(', ')}`)
    }
  }
  return doubts
}

/**
 * Erases one person from a data folder (the answer to a GDPR Art. 17 request): every published event that names
 * them, and every refused event whose raw text contains one of their identifiers, is removed by rewriting its
 * file (new file, sync, rename); every other line stays byte-identical, and files without them are not touched.
 *
 * @example
 * const report = await erasePerson({ dataDir: './data', target: { email: 'ada@example.com' } })
 */
export async function erasePerson(options: ErasureOptions): Promise<ErasureReport> {
  const events = await listDataFiles(join(options.dataDir, 'events'), { includeOpen: true })
  const rejected = await listDataFiles(join(options.dataDir, 'rejected'), { includeOpen: true })
  const person = personOf(options.target)
  if (options.linked ?? true) await findLinked(events, person)
  const doubts = await doubtsAbout(events, person, options.target)
  if (doubts.length && !options.dryRun && !(await options.confirm?.(person, doubts))) {
    return {
      person,
      files: [],
      removed: 0,
      openFiles: [],
      leftovers: [],
      doubts,
      done: false,
      droppedDays: [],
    }
  }

  const test = quickTest(person)
  const isTheirs = (text: string) => {
    if (!test(text)) return false
    const line = parse<EventLine>(text)
    return line !== undefined && belongsTo(line, person)
  }
  const rawIds = [...person.userIds, ...person.anonymousIds].map((id) => JSON.stringify(id))
  // A refused event is raw text: an id may be written as a number there (userId: 42), and an email percent-encoded.
  const numericIds = [...person.userIds, ...person.anonymousIds].filter((id) => /^-?\d+(\.\d+)?$/.test(id))
  const asNumber = numericIds.length
    ? new RegExp(`[:\\[,]\\s*(${numericIds.map((id) => id.replace('.', '\\.')).join('|')})\\s*[,}\\]]`)
    : undefined
  const isTheirsRejected = (text: string) => {
    const raw = (parse<RejectedLine>(text)?.raw ?? text).toLowerCase()
    const plain = raw.replace(/%40/g, '@')
    return (
      rawIds.some((id) => raw.includes(id.toLowerCase())) ||
      [...person.emails].some((email) => plain.includes(email)) ||
      (asNumber?.test(raw) ?? false)
    )
  }

  const files: FileOutcome[] = []
  const openFiles: string[] = []
  for (const [list, remove] of [
    [events, isTheirs],
    [rejected, isTheirsRejected],
  ] as const) {
    for (const file of list) {
      if (file.open) {
        for await (const text of fileLines(file.path)) {
          if (remove(text)) {
            openFiles.push(file.path)
            break
          }
        }
        continue
      }
      const outcome = await rewriteFile(file.path, remove, options.dryRun, options.disk)
      if (outcome.removed) files.push(outcome)
    }
  }

  // A compacted day is a copy of its files, and of the cart decisions a batch run made over them: the days whose
  // files lost lines go, Parquet and manifest, and so do the days after them whose decisions may be about the person.
  const droppedDays: string[] = []
  if (!options.dryRun) {
    const touched = new Set(files.filter((f) => events.some((e) => e.path === f.path)).map((f) => dayOf(f.path)))
    const days = [...touched].filter((day) => day !== undefined)
    const reached = daysDecidingAfter(await readDayManifests(options.dataDir), days)
    for (const day of [...days, ...reached].sort()) {
      if (await dropCompactedDay(options.dataDir, day, options.disk)) droppedDays.push(day)
    }
  }

  const leftovers: ErasureReport['leftovers'] = []
  if (!options.dryRun) {
    // Any text left that still holds an identifier as a JSON string (an id inside a free-text field, say), apart
    // from the lines another user made on a device the person shared, which are kept on purpose.
    const contains = (text: string) =>
      rawIds.some((id) => text.includes(id)) || [...person.emails].some((e) => text.toLowerCase().includes(e))
    const othersLine = (text: string) => {
      const userId = parse<EventLine>(text)?.userId
      return typeof userId === 'string' && !person.userIds.has(userId)
    }
    for (const file of [...events, ...rejected].filter((f) => !f.open)) {
      const lines = await countLines(
        file.path,
        (text) => contains(text) && !(events.includes(file) && othersLine(text)),
      )
      if (lines) leftovers.push({ path: file.path, lines })
    }
  }
  return {
    person,
    files,
    removed: files.reduce((sum, f) => sum + f.removed, 0),
    openFiles,
    leftovers,
    doubts,
    done: true,
    droppedDays,
  }
}
