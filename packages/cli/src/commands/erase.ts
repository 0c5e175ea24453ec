import { relative } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { parseArgs } from 'node:util'
import { type ErasureTarget, eraseDaysBefore, erasePerson, type Person, writeErasureNotice } from '@spoor/log'
import { compactDays, parseTime } from '@spoor/report'
import { parseDuration } from '../duration.js'
import { type Command, dataFolderArgument, readOption, UsageError } from './command.js'

const usage = `spoor erase — remove one person's events (GDPR Art. 17 erasure), or every event past an age, from a data folder

Usage: spoor erase DATA_DIR (--user ID | --anonymous-id ID | --email ADDRESS) [options]
       spoor erase DATA_DIR (--older-than AGE | --before DAY) [--dry-run]

  --user ID            the person's user id (the userId of identify)
  --anonymous-id ID    one device's anonymous id
  --email ADDRESS      the person's email address (case does not matter)
  --exact              only lines naming this identifier; by default the devices (anonymous ids) and emails the
                       person's own events link to them are erased too
  --older-than AGE     every event that arrived longer ago than AGE (400d): a retention policy, for cron
                       or spoor serve --keep; by whole UTC days of arrival, so up to a day older may stay
  --before DAY         every event that arrived before the UTC day DAY (2025-11-01)
  --dry-run            count what would be removed, change nothing
  --yes                erase linked identifiers even when a link is in doubt (see below), without asking

Each published file holding their lines is rewritten without them (new file, sync, rename: a crash leaves the old
file or the new one); every other line stays byte-identical. Refused events (rejected/) whose raw text contains an
identifier go too. Compacted days (DATA_DIR/compacted, see spoor compact) that held them are removed and compacted
again from the rewritten files. Files still being written are left alone and listed: run the command again once they are
published (--max-file-age of spoor serve).

Anyone who knows a site's write key can send a line naming any id beside any email, so an email ties to a user
id only through an identify (its traits), and a link is in doubt when it brings in two user ids or an account
that also declared another email. Then erase shows what it would remove and asks (or, not at a terminal, changes
nothing and exits 4 unless --yes is given). Exit code 0 when nothing of the person is left, 3 otherwise.

By age, whole days go: their published and refused files, and their compacted days. Exit code 3 when a file of
those days is still being written (listed).`

/** Asks a yes/no question at the terminal; anything but y or yes is no. */
async function ask(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim())
  } finally {
    prompt.close()
  }
}

/** `spoor erase`: one person out of the published files. */
export const erase: Command = {
  usage,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        user: { type: 'string' },
        'anonymous-id': { type: 'string' },
        email: { type: 'string' },
        'older-than': { type: 'string' },
        before: { type: 'string' },
        exact: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        yes: { type: 'boolean' },
      },
    })
    const dataDir = await dataFolderArgument(positionals)
    const byAge = [values['older-than'], values.before].filter((v) => v !== undefined)
    if (byAge.length) {
      if (byAge.length > 1) throw new UsageError('give one of --older-than and --before')
      if (values.user !== undefined || values['anonymous-id'] !== undefined || values.email !== undefined)
        throw new UsageError('erase one person or the days before a date, not both in one run')
      return eraseOldDays(dataDir, firstDayKept(values['older-than'], values.before), values['dry-run'] ?? false)
    }
    const given = [values.user, values['anonymous-id'], values.email].filter((v) => v !== undefined)
    if (given.length !== 1) throw new UsageError('name the person with exactly one of --user, --anonymous-id, --email')
    if (!given[0]!.trim()) throw new UsageError('the identifier is empty')
    if (values.email !== undefined && !values.email.includes('@'))
      throw new UsageError(`--email ${values.email} is not an email address`)
    const target: ErasureTarget =
      values.user !== undefined
        ? { userId: values.user }
        : values['anonymous-id'] !== undefined
          ? { anonymousId: values['anonymous-id'] }
          : { email: values.email! }

    const dryRun = values['dry-run'] ?? false
    const list = (set: Set<string>) => (set.size ? [...set].join(', ') : '—')
    const confirm = async (person: Person, doubts: string[]) => {
      if (values.yes) return true
      const plan = [
        'These identifiers may not all be one person:',
        ...doubts.map((doubt) => `  - ${doubt}`),
        `  user ids:      ${list(person.userIds)}`,
        `  anonymous ids: ${list(person.anonymousIds)}`,
        `  emails:        ${list(person.emails)}`,
      ].join('\n')
      if (!process.stdin.isTTY) {
        console.error(
          `${plan}\nnothing was changed: run again with --yes to erase all of them, or with --exact, or name the user with --user`,
        )
        return false
      }
      return ask(`${plan}\nerase all of them? [y/N] `)
    }
    const report = await erasePerson({ dataDir, target, linked: !values.exact, dryRun, confirm })
    if (!report.done) return 4
    // A collector running on this folder forgets the person too (its cart detector holds open carts in memory).
    if (!dryRun) await writeErasureNotice(dataDir, report.person)
    // The days erasure dropped are read from the files until compacted again: do it now, while the files are warm.
    const recompacted = report.droppedDays.length
      ? await compactDays({ dataDir, days: report.droppedDays }).catch((error: Error) => error)
      : undefined
    const { person } = report
    const out = [
      `${dryRun ? 'would remove' : 'removed'} ${report.removed} line(s) from ${report.files.length} file(s)`,
      `  user ids:      ${list(person.userIds)}`,
      `  anonymous ids: ${list(person.anonymousIds)}`,
      `  emails:        ${list(person.emails)}`,
      ...report.files.map(
        (f) =>
          `  ${relative(dataDir, f.path)}: ${f.removed} removed, ${f.kept} kept${f.kept === 0 && !dryRun ? ' (file deleted)' : ''}`,
      ),
    ]
    if (report.droppedDays.length) {
      out.push(
        recompacted instanceof Error
          ? `  compacted days removed, not compacted again (${recompacted.message}): ${report.droppedDays.join(', ')}; run spoor compact`
          : `  compacted days rebuilt without them: ${report.droppedDays.join(', ')}`,
      )
    }
    for (const path of report.openFiles) out.push(`  still being written, not erased yet: ${relative(dataDir, path)}`)
    for (const { path, lines } of report.leftovers)
      out.push(
        `  ${lines} line(s) in ${relative(dataDir, path)} still contain an identifier in another field: review them`,
      )
    console.log(out.join('\n'))
    return report.openFiles.length || report.leftovers.length ? 3 : 0
  },
}

const dayMs = 86_400_000

/** The UTC day (`YYYY-MM-DD`) a time falls on. */
const dayOf = (ms: number) => new Date(Math.floor(ms / dayMs) * dayMs).toISOString().slice(0, 10)

/** The first arrival day a retention of `ageMs` keeps: a day goes once all of it is older than the age. */
export const firstDayWithin = (ageMs: number, now = new Date()) => dayOf(now.getTime() - ageMs)

/** The first arrival day `--older-than` or `--before` keeps, `YYYY-MM-DD`. */
export function firstDayKept(olderThan: string | undefined, before: string | undefined, now = new Date()): string {
  const today = dayOf(now.getTime())
  if (before !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(before)) throw new UsageError(`--before ${before}: write a day, 2025-11-01`)
    readOption('--before', () => parseTime(before))
    // Today's events are still arriving: a day after it would erase them as they are written.
    if (before > today) throw new UsageError(`--before ${before} is after today (${today}, UTC)`)
    return before
  }
  const ageMs = readOption('--older-than', () => parseDuration(olderThan!))
  if (ageMs < dayMs) throw new UsageError('--older-than must be at least 1d: days go whole')
  return firstDayWithin(ageMs, now)
}

/** `spoor erase --older-than` / `--before`: the days before `firstKept`, everywhere in the data folder. */
async function eraseOldDays(dataDir: string, firstKept: string, dryRun: boolean): Promise<number> {
  const report = await eraseDaysBefore(dataDir, firstKept, { dryRun })
  const { days } = report
  const span = days.length ? `: ${days[0]}${days.length > 1 ? ` … ${days.at(-1)}` : ''}` : ''
  const mb = (report.bytes / 1024 / 1024).toFixed(1)
  const out = [
    `${dryRun ? 'would remove' : 'removed'} ${days.length} day(s) before ${firstKept}${span}: ${report.files} file(s), ${mb} MB, and their compacted days`,
  ]
  for (const path of report.openFiles) out.push(`  still being written, not erased yet: ${relative(dataDir, path)}`)
  console.log(out.join('\n'))
  return report.openFiles.length ? 3 : 0
}
