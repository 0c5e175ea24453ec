import { previousRange } from '../controls/period.js'
import type { TimeRange } from '../time-range.js'

/** What a summary mail covers: the last whole week (Monday to Sunday) or calendar month before now, in UTC. */
export type MailPeriodKind = 'week' | 'month'

/** A mail's period, the one before it (its figures' comparison) and how the mail names it. */
export interface MailPeriod extends TimeRange {
  previous: TimeRange
  /** `the week of 23 November 2026`, `November 2026` */
  label: string
}

const day = 86_400_000
const dayName = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })

/**
 * The last whole week or month before `now`: a mail sent on a Monday morning (or the 1st) covers the days just
 * ended, whatever hour its schedule runs at, and a mail sent again covers the same days.
 *
 * @example
 * mailPeriod('week', new Date('2026-12-07T08:00:00Z')) // 2026-11-30 to 2026-12-07, compared with the week before
 */
export function mailPeriod(kind: MailPeriodKind, now: Date): MailPeriod {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  if (kind === 'week') {
    // getUTCDay: 0 is Sunday; the days since the last Monday began.
    const monday = today - ((now.getUTCDay() + 6) % 7) * day
    const week = { from: new Date(monday - 7 * day), to: new Date(monday) }
    return { ...week, previous: previousRange(week), label: `the week of ${dayName.format(week.from)}` }
  }
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
  const before = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1))
  return { from, to, previous: { from: before, to: from }, label: monthName.format(from) }
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10)

/**
 * A mail over any range (`--from`/`--to`), compared with the range of the same length just before it, named by its
 * days: `2026-03-31`, `2026-03-01 to 2026-03-15`.
 */
export function rangePeriod(range: TimeRange): MailPeriod {
  const first = isoDay(range.from)
  const last = isoDay(new Date(range.to.getTime() - 1))
  return { ...range, previous: previousRange(range), label: first === last ? first : `${first} to ${last}` }
}

/** Reads `--period`: `week` or `month`. */
export function mailPeriodKind(text: string): MailPeriodKind {
  if (text === 'week' || text === 'month') return text
  throw new Error(`"${text}" is not a period a mail covers: write week or month`)
}
