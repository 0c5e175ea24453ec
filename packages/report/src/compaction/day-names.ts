// Arrival days are named as their `dt=` partitions are: `YYYY-MM-DD`, in UTC.

/** A day's milliseconds. */
export const dayMs = 86_400_000

/** The time a named day starts, in ms: `2026-03-01` → 2026-03-01T00:00:00.000Z. */
export const dayStart = (day: string): number => Date.parse(`${day}T00:00:00.000Z`)

/** The first millisecond a day's name can stand for: a name holds a year of four digits. */
export const firstNamedTime = dayStart('0000-01-01')

/**
 * The last millisecond a day's name can stand for (9999-12-31T23:59:59.999Z). Past it a name would be
 * `+010000-01-01`, which sorts before every day, so a range ending there named its last day before its first.
 */
export const lastNamedTime = dayStart('9999-12-31') + dayMs - 1

/** The name of the day a time falls in; a time before or past every named day is in the first or the last one. */
export const dayOf = (time: Date | number): string =>
  new Date(Math.min(Math.max(new Date(time).getTime(), firstNamedTime), lastNamedTime)).toISOString().slice(0, 10)
