import { type TimeRange, timeRange } from '../time-range.js'

/** The ranges the dashboard offers as one click, named as they appear in its URL (`period=7d`). */
export const periods = ['today', 'yesterday', '7d', '30d', 'month', 'lastmonth'] as const

/** One of {@link periods}. */
export type Period = (typeof periods)[number]

const day = 86_400_000
const startOfDay = (t: number) => Math.floor(t / day) * day

/**
 * The range of a named period as of `now`, in UTC like the rest of the report: `today` from midnight, `7d` and `30d`
 * the last 7 or 30 days counting today, `month` from the first of the month, each ending at `now`; `yesterday` and
 * `lastmonth` the whole day and calendar month before.
 */
export function periodRange(period: Period, now: Date): TimeRange {
  const t = now.getTime()
  if (period === 'yesterday') return { from: new Date(startOfDay(t) - day), to: new Date(startOfDay(t)) }
  if (period === 'lastmonth') {
    return {
      from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)),
      to: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    }
  }
  // A range must not be empty: one millisecond past midnight still covers that millisecond.
  const to = new Date(t + 1)
  if (period === 'today') return { from: new Date(startOfDay(t)), to }
  if (period === '7d') return { from: new Date(startOfDay(t) - 6 * day), to }
  if (period === '30d') return { from: new Date(startOfDay(t) - 29 * day), to }
  return { from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), to }
}

/** The same-length range just before `range`, which the comparison reads. */
export const previousRange = (range: TimeRange): TimeRange => ({
  from: new Date(range.from.getTime() - (range.to.getTime() - range.from.getTime())),
  to: range.from,
})

/**
 * The dashboard's range from its query: a named `period` wins over `from`/`to`; without either, the 30 days up to now.
 *
 * @throws an Error naming the accepted periods, or the date that could not be read
 */
export function queryRange(query: { period?: string; from?: string; to?: string }, now: Date): TimeRange {
  if (query.period) {
    if (!(periods as readonly string[]).includes(query.period)) {
      throw new Error(`period "${query.period}" is not one of ${periods.join(', ')}`)
    }
    return periodRange(query.period as Period, now)
  }
  return timeRange(query.from || undefined, query.to || undefined, now)
}
