/**
 * Delay before retry number `attempt` (0-based): "full jitter", a random delay between 0 and
 * `min(cap, base × 2^attempt)`, so that many clients failing together do not retry together.
 */
export const backoffDelay = (attempt: number, base = 1000, cap = 6e4): number =>
  Math.random() * Math.min(cap, base * 2 ** attempt)

/**
 * `Retry-After` in ms: delay-seconds or an HTTP date; undefined when absent, unreadable, or now or past (a retry
 * then waits the usual backoff).
 */
export const parseRetryAfter = (header: string | null | undefined, now = Date.now()): number | undefined =>
  Math.max(0, +header! * 1000 || Date.parse(header!) - now) || undefined
