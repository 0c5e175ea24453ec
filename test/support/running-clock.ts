/** A clock for a test whose processes run in real time, yet whose times must not depend on today's date. */
export interface RunningClock {
  /** Where the clock started. */
  origin: Date
  /** The clock's time now. */
  now(): Date
  /** Moves the clock forward by `ms` at once (past a window, say). */
  skip(ms: number): void
}

/**
 * A clock that starts at `origin` and runs at the pace of the monotonic clock: browsers and servers under test
 * take their real time, and every date the test expects counts from `origin`, not from the day it runs.
 */
export function runningClock(origin = new Date('2026-03-02T10:00:00.000Z')): RunningClock {
  const startedAt = performance.now()
  let skipped = 0
  return {
    origin,
    now: () => new Date(origin.getTime() + Math.round(performance.now() - startedAt) + skipped),
    skip: (ms) => {
      skipped += ms
    },
  }
}
