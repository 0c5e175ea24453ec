/** An interval the visitors chart counts by: its name, its length (a month's taken as 30 days) and its SQL. */
export interface ChartInterval {
  name: string
  ms: number
  /** A DuckDB INTERVAL: a month is a calendar month, not 30 days. */
  sql: string
}

/** The intervals a reader may choose (`interval=day`), as the chart's links name them. */
export const chosenIntervals = ['minute', 'hour', 'day', 'week', 'month'] as const

/** One of {@link chosenIntervals}. */
export type ChosenInterval = (typeof chosenIntervals)[number]

const minute = 60_000
const hour = 60 * minute
const day = 24 * hour
const fixed = (name: string, ms: number): ChartInterval => ({ name, ms, sql: `to_milliseconds(${ms})` })

// Smallest first. Weeks start on Mondays (DuckDB's buckets of days count from Monday 3 January 2000).
const intervals: ChartInterval[] = [
  fixed('10 seconds', 10_000),
  fixed('minute', minute),
  fixed('5 minutes', 5 * minute),
  fixed('15 minutes', 15 * minute),
  fixed('hour', hour),
  fixed('6 hours', 6 * hour),
  fixed('day', day),
  fixed('week', 7 * day),
  { name: 'month', ms: 30 * day, sql: 'to_months(1)' },
]

// The automatic interval is the smallest giving fewer buckets than this; a chosen one may give up to the other
// (a day by minutes, four years by days): the chart's bars and the page's size grow with them.
const automaticBuckets = 48
/** The most buckets a chart draws over a range: a chosen interval's bound, and a compared chart's. */
export const mostChosenBuckets = 1_500

const named = (name: ChosenInterval) => intervals.find((interval) => interval.name === name)!

/** Whether a reader may choose `name` over `spanMs`: the span holds it at least once and at most 1,500 times. */
const choosable = (name: ChosenInterval, spanMs: number) =>
  named(name).ms <= spanMs && spanMs / named(name).ms <= mostChosenBuckets

/**
 * The interval of a chart over `spanMs`: the reader's choice when it is one of {@link intervalChoices}, else (or
 * without a choice) the smallest of 10 s to a month giving fewer than 48 buckets. A choice longer than the span (days,
 * kept in the link from the week before, over the real-time view's minutes) would draw one bar, with no link offered
 * to undo it.
 */
export function chartInterval(spanMs: number, chosen?: ChosenInterval): ChartInterval {
  if (chosen && choosable(chosen, spanMs)) return named(chosen)
  return intervals.find((interval) => spanMs / interval.ms < automaticBuckets) ?? intervals.at(-1)!
}

/** The intervals a reader may choose over `spanMs`: those the span holds at least once and at most 1,500 times. */
export const intervalChoices = (spanMs: number): ChosenInterval[] =>
  chosenIntervals.filter((name) => choosable(name, spanMs))

/** The interval named `name` (as {@link chartInterval} gave it). */
export const intervalNamed = (name: string): ChartInterval | undefined =>
  intervals.find((interval) => interval.name === name)

/**
 * SQL of a line's bucket from `origin` (the bucket starting there is 0): what a period and the one it is compared with
 * are counted by, so that their buckets pair up by position. Months are calendar months.
 */
export const bucketIndexSql = (interval: ChartInterval, origin: string) =>
  interval.name === 'month'
    ? `date_diff('month', ${origin}, timestamp)`
    : `floor((epoch_ms(timestamp) - epoch_ms(${origin})) / ${interval.ms})::BIGINT`

/** When bucket `index` from `origin` starts (see {@link bucketIndexSql}). */
export function bucketStart(origin: Date, interval: ChartInterval, index: number): Date {
  if (interval.name !== 'month') return new Date(origin.getTime() + index * interval.ms)
  // Bucket 0 is the rest of the origin's month; each after it a whole calendar month, from its 1st (the 31st of
  // January plus a month would be in March).
  return index === 0 ? origin : new Date(Date.UTC(origin.getUTCFullYear(), origin.getUTCMonth() + index, 1))
}
