/**
 * Reads a time given on the command line or in a query string: a date (`2026-03-02`, midnight UTC) or an ISO-8601
 * date-time with its zone (`2026-03-02T10:00:00Z`).
 */
export function parseTime(text: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00.000Z`) : new Date(text)
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
    throw new Error(`"${text}" is not a date: write 2026-03-02 or 2026-03-02T10:00:00Z`)
  }
  return date
}

/** The span a report covers: [from, to). */
export interface TimeRange {
  from: Date
  to: Date
}

const day = 86_400_000

/**
 * The report's range from `--from` / `--to`: a bare date for `to` includes that whole day; the default is the
 * 30 days up to now.
 */
export function timeRange(from: string | undefined, to: string | undefined, now = new Date()): TimeRange {
  const end = to ? parseTime(to) : now
  const until = to && /^\d{4}-\d{2}-\d{2}$/.test(to) ? new Date(end.getTime() + day) : end
  const start = from ? parseTime(from) : new Date(until.getTime() - 30 * day)
  if (start >= until) throw new Error(`--from (${start.toISOString()}) must come before --to (${until.toISOString()})`)
  return { from: start, to: until }
}
