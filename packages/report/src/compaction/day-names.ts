// Arrival days are named as their `dt=` partitions are: `YYYY-MM-DD`, in UTC.

/** A day's milliseconds. */
export const dayMs = 86_400_000

/** The time a named day starts, in ms: `2026-03-01` → 2026-03-01T00:00:00.000Z. */
export const dayStart = (day: string): number => Date.parse(`${day}T00:00:00.000Z`)

/** The name of the day a time falls in. */
export const dayOf = (time: Date | number): string => new Date(time).toISOString().slice(0, 10)
