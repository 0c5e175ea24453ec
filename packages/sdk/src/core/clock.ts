// The last event time given on this page: one clock for every tracker the page has.
let last = 0

/**
 * The time of an event being recorded, in ms: the clock's, or a millisecond after the page's last event when that is
 * not earlier. Segment's times are ISO strings to the millisecond, and what reads them orders events by time: events
 * of one millisecond (a burst of calls, a replayed queue) came out in any order. Bursts move times ahead by a few ms.
 */
export function eventTime(): number {
  last = Math.max(Date.now(), last + 1)
  return last
}

/** The time a batch is sent, in ms: never before an event this page recorded, which would read as a clock error. */
export const sendTime = (): number => Math.max(Date.now(), last)
