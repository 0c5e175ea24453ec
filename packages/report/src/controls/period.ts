import { type TimeRange, timeRange } from '../time-range.js'

/** The ranges the dashboard offers as one click, named as they appear in its URL (`period=7d`). */
export const periods = [
  'realtime',
  'today',
  'yesterday',
  '7d',
  '30d',
  'month',
  'lastmonth',
  'year',
  '12mo',
  'all',
] as const

/** One of {@link periods}. */
export type Period = (typeof periods)[number]

const day = 86_400_000
/** What the real-time view covers, as Plausible's: the last 30 minutes. */
const realtimeMs = 30 * 60_000
const startOfDay = (t: number) => Math.floor(t / day) * day

/**
 * The range of a named period as of `now`, in UTC like the rest of the report: `realtime` the last 30 minutes,
 * `today` from midnight, `7d` and `30d`
 * the last 7 or 30 days counting today, `month` from the first of the month, `year` from the first of January,
 * `12mo` the last 12 calendar months counting this one, `all` from `firstDay` (the first day with data; today
 * without), each ending at `now`; `yesterday` and `lastmonth` the whole day and calendar month before.
 */
export function periodRange(period: Period, now: Date, firstDay?: Date): TimeRange {
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
  if (period === 'realtime') return { from: new Date(t - realtimeMs), to }
  if (period === 'today') return { from: new Date(startOfDay(t)), to }
  if (period === '7d') return { from: new Date(startOfDay(t) - 6 * day), to }
  if (period === '30d') return { from: new Date(startOfDay(t) - 29 * day), to }
  if (period === 'year') return { from: new Date(Date.UTC(now.getUTCFullYear(), 0, 1)), to }
  if (period === '12mo') return { from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)), to }
  if (period === 'all') return { from: new Date(Math.min(firstDay?.getTime() ?? t, startOfDay(t))), to }
  return { from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), to }
}

/** The same-length range just before `range`, which the comparison reads by default. */
export const previousRange = (range: TimeRange): TimeRange => ({
  from: new Date(range.from.getTime() - (range.to.getTime() - range.from.getTime())),
  to: range.from,
})

/** What a view's headline is compared with (`compare=year`): the period before (the default), the year before, none. */
export const comparisons = ['previous', 'year', 'none'] as const

/** One of {@link comparisons}. */
export type Comparison = (typeof comparisons)[number]

// The same time a year before. A 29 February, which that year lacks, is the 28th as a range's start and the 1st of
// March as its (exclusive) end, so that the day keeps a day before it and a range never turns empty or backwards.
const yearBefore = (date: Date, end: boolean) => {
  const year = date.getUTCFullYear() - 1
  const month = date.getUTCMonth()
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  const timeOfDay = ((date.getTime() % day) + day) % day
  if (date.getUTCDate() <= lastDay) return new Date(Date.UTC(year, month, date.getUTCDate()) + timeOfDay)
  return new Date((end ? Date.UTC(year, month + 1, 1) : Date.UTC(year, month, lastDay)) + timeOfDay)
}

/**
 * The range a view is compared with, if any: by default the same length just before; `year` the same dates a year
 * before (a 29 February the 28th, or the 1st of March as the range's end); none for `none`, for all time, which has
 * nothing before it, and for the real-time view, which is about now.
 *
 * @throws an Error naming the accepted comparisons
 */
export function comparedRange(range: TimeRange, query: { period?: string; compare?: string }): TimeRange | undefined {
  const compare = query.compare || 'previous'
  if (!(comparisons as readonly string[]).includes(compare)) {
    throw new Error(`compare "${compare}" is not one of ${comparisons.join(', ')}`)
  }
  if (compare === 'none' || query.period === 'all' || query.period === 'realtime') return undefined
  return compare === 'year'
    ? { from: yearBefore(range.from, false), to: yearBefore(range.to, true) }
    : previousRange(range)
}

/**
 * The dashboard's range from its query: a named `period` wins over `from`/`to`; without either, the last 30 days
 * (`period=30d`).
 * `firstDay` is where all time starts (see {@link periodRange}).
 *
 * @throws an Error naming the accepted periods, or the date that could not be read
 */
export function queryRange(
  query: { period?: string; from?: string; to?: string },
  now: Date,
  firstDay?: Date,
): TimeRange {
  if (query.period) {
    if (!(periods as readonly string[]).includes(query.period)) {
      throw new Error(`period "${query.period}" is not one of ${periods.join(', ')}`)
    }
    return periodRange(query.period as Period, now, firstDay)
  }
  // No range at all is the default view, which the toolbar marks and the title names "Last 30 days": it covers what
  // that link covers (30 days counting today, from midnight), not the 30 × 24 hours up to now, whose numbers changed
  // as the link was clicked.
  if (!query.from && !query.to) return periodRange('30d', now)
  return timeRange(query.from || undefined, query.to || undefined, now, { from: 'from', to: 'to' })
}
