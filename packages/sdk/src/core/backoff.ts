/**
 * Delay before retry number `attempt` (0-based): "full jitter", a random delay between 0 and
 * `min(cap, base × 2^attempt)`, so that many clients failing together do not retry together.
 */
export function backoffDelay(attempt: number, base = 1000, cap = 60_000, random = Math.random): number {
  return Math.round(random() * Math.min(cap, base * 2 ** attempt))
}

/** `Retry-After` in ms: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return
  const seconds = +header
  const ms = seconds >= 0 ? seconds * 1000 : Date.parse(header) - now
  return ms >= 0 ? ms : ms < 0 ? 0 : undefined
}
