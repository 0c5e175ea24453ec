/**
 * How many arrival days before its own a compacted day is deduplicated against. The browser's queue drops an event
 * it could not send within 7 days, so a retry never arrives later than that: a messageId seen again after longer is
 * a new event (Segment's own dedupe window is a day).
 */
export const dedupeDays = 7

const dayMs = 86_400_000

/** The `YYYY-MM-DD` days within {@link dedupeDays} before `day`, oldest first. */
export function earlierDays(day: string): string[] {
  const start = Date.parse(`${day}T00:00:00.000Z`)
  return Array.from({ length: dedupeDays }, (_, i) =>
    new Date(start - (dedupeDays - i) * dayMs).toISOString().slice(0, 10),
  )
}

/** Whether two lists of Parquet names are the same, in order. */
export const sameNames = (a: readonly string[] | undefined, b: readonly string[]) =>
  a !== undefined && a.length === b.length && a.every((name, i) => name === b[i])
