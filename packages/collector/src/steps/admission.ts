import type { Metrics } from '@spoor/log'
import type { SinkHealth } from '@spoor/protocol'
import type { InFlight } from './in-flight.js'
import { ipBucket, type RateLimiter } from './rate-limit.js'
import { RequestError } from './request-error.js'

/** What guards the event API before a body is read: sink health, in-flight bytes, rate limits, a body deadline. */
export interface Admission {
  inFlight: InFlight
  /** Token buckets per client address (none: unlimited). */
  perIp?: RateLimiter
  /** Token buckets per write key (none: unlimited). */
  perKey?: RateLimiter
  /** The sink's health; a sink that cannot write is answered 503 before the body is read. */
  health?: () => SinkHealth
  /** Time allowed to receive a body, in ms (default 10 s). */
  bodyTimeoutMs?: number
  metrics?: Metrics
}

/** Refuses a request up front when the sink cannot take writes (503) or its address is over its rate (429). */
export function admit(admission: Admission, ip: string | undefined): void {
  const health = admission.health?.()
  if (health && !health.ready && !health.starting) {
    throw new RequestError(503, `events cannot be stored now: ${health.reason}`, {
      'Retry-After': String(health.retryAfter),
    })
  }
  if (admission.perIp && ip) limited(admission, admission.perIp, ipBucket(ip), 'ip')
}

/** Takes a token for a write key (429 when it is over its rate). */
export function admitKey(admission: Admission, writeKey: string): void {
  if (admission.perKey) limited(admission, admission.perKey, writeKey, 'write_key')
}

function limited(admission: Admission, limiter: RateLimiter, key: string, by: string) {
  const wait = limiter.take(key)
  if (wait === 0) return
  admission.metrics?.increment('rate_limited', 1, { by })
  throw new RequestError(
    429,
    `too many requests from this ${by === 'ip' ? 'address' : 'write key'}; retry in ${wait} s`,
    {
      'Retry-After': String(wait),
    },
  )
}
