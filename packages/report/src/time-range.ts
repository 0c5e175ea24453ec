import { daysInMonth } from '@spoor/protocol'
import { lastNamedTime } from './compaction/day-names.js'

const dateOnly = /^\d{4}-\d{2}-\d{2}$/
// A date-time with no zone, which `Date` reads in the server's own zone.
const zoneless = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/
const month = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' })

/**
 * Why the day a text starts with (`2026-02-30…`) is not on the calendar, or undefined when it is. `Date` rolls such
 * a day over (2026-02-30 is read as 2 March) rather than refuse it, so a range would silently start or end elsewhere.
 */
function missingDay(text: string): string | undefined {
  const [year, monthOfYear, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number]
  if (monthOfYear < 1 || monthOfYear > 12) return undefined
  const days = daysInMonth(year, monthOfYear)
  if (day <= days) return undefined
  return `${month.format(new Date(new Date(0).setUTCFullYear(year, monthOfYear - 1, 1)))} has ${days} days`
}

/**
 * Reads a time given on the command line or in a query string: a date (`2026-03-02`, midnight UTC) or an ISO-8601
 * date-time (`2026-03-02T10:00:00Z`), in UTC without a zone, as every time the report shows. A day the month lacks
 * (`2026-02-30`) is refused.
 */
export function parseTime(text: string): Date {
  // `Date` would read `2026-03-02T10:00` in the server's zone: a range nine hours off on a server in Tokyo.
  const date = dateOnly.test(text)
    ? new Date(`${text}T00:00:00.000Z`)
    : new Date(zoneless.test(text) ? `${text.replace(' ', 'T')}Z` : text)
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
    throw new Error(`"${text}" is not a date: write 2026-03-02 or 2026-03-02T10:00:00Z`)
  }
  const missing = missingDay(text)
  if (missing) throw new Error(`"${text}" is not a date: ${missing}`)
  return date
}

/** The span a report covers: [from, to). */
export interface TimeRange {
  from: Date
  to: Date
}

/** What a range's start and end are called where they were given: `--from`/`--to` on the command line. */
export interface RangeNames {
  from: string
  to: string
}

const day = 86_400_000

/**
 * The report's range from `--from` / `--to`: a bare date for `to` includes that whole day; the default is the
 * 30 days up to now.
 *
 * @param names - what the mistakes call the two ends (default `--from` and `--to`; the dashboard's are `from`, `to`)
 * @throws an Error quoting a text that is not a date, or both ends as given when the range would be empty
 */
export function timeRange(
  from: string | undefined,
  to: string | undefined,
  now = new Date(),
  names: RangeNames = { from: '--from', to: '--to' },
): TimeRange {
  const end = to ? parseTime(to) : now
  const wholeDay = to !== undefined && dateOnly.test(to)
  // A range reaching past 9999-12-31 (`--to 9999-12-31` asks for everything) ends where the days' names end: no
  // event arrives later, and past it DuckDB cannot read the time the range ends at. It loses that day's last
  // millisecond, as `to` is exclusive.
  const until = new Date(Math.min(wholeDay ? end.getTime() + day : end.getTime(), lastNamedTime))
  const start = from ? parseTime(from) : new Date(until.getTime() - 30 * day)
  if (start >= until) {
    // Said with the dates as they were written: `to` plus the day it includes would read as another date.
    const ending = to ? `${names.to} (${to})` : `now (${now.toISOString()})`
    throw new Error(`${names.from} (${from}) must come before ${wholeDay ? 'the end of ' : ''}${ending}`)
  }
  return { from: start, to: until }
}
