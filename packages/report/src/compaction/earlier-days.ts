import { dayMs, dayOf, dayStart } from './day-names.js'

/**
 * How many arrival days before its own a compacted day is deduplicated against. The browser's queue drops an event
 * it could not send within 7 days, so a retry never arrives later than that: a messageId seen again after longer is
 * a new event (Segment's own dedupe window is a day).
 */
export const dedupeDays = 7

/** The `YYYY-MM-DD` days within {@link dedupeDays} before `day`, oldest first. */
export function earlierDays(day: string): string[] {
  const start = dayStart(day)
  return Array.from({ length: dedupeDays }, (_, i) => dayOf(start - (dedupeDays - i) * dayMs))
}

/** Whether two lists of Parquet names are the same, in order. */
export const sameNames = (a: readonly string[] | undefined, b: readonly string[]) =>
  a !== undefined && a.length === b.length && a.every((name, i) => name === b[i])
