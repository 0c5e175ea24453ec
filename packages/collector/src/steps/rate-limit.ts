import { isIPv6 } from 'node:net'
import { oldestFirst } from '../oldest-first.js'

/** A rate: `burst` requests at once, refilled at `perSecond`. */
export interface Rate {
  perSecond: number
  burst: number
}

/** Token buckets by key (a client address, a write key). */
export interface RateLimiter {
  /** Takes a token for `key`: 0 when allowed, else the seconds until one is free (for `Retry-After`). */
  take(key: string): number
  /** Buckets held now. */
  readonly size: number
  /** The most buckets held at once. */
  readonly capacity: number
}

/**
 * Creates token buckets: each key starts with `burst` tokens, refilled at `perSecond`; a request takes one. Memory
 * is bounded: past `maxKeys` the least recently used buckets are forgotten (a forgotten bucket would have been
 * full again soon, so forgetting costs at most one burst).
 *
 * @param maxKeys - buckets kept at once (default 100,000)
 * @param now - the clock in ms (default `performance.now()`)
 */
export function createRateLimiter(
  rate: Rate,
  maxKeys = 100_000,
  now: () => number = () => performance.now(),
): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>()
  // The least recently used first, by one walk that goes on where it stopped: a new walk from the front for each
  // eviction stepped over every hole that deletes leave, 27–42 µs per new client once full (see oldest-first.ts).
  const leastRecent = oldestFirst(buckets)
  return {
    get size() {
      return buckets.size
    },
    capacity: maxKeys,
    take(key) {
      const t = now()
      let bucket = buckets.get(key)
      if (bucket) {
        buckets.delete(key)
        bucket.tokens = Math.min(rate.burst, bucket.tokens + ((t - bucket.at) / 1000) * rate.perSecond)
        bucket.at = t
      } else {
        bucket = { tokens: rate.burst, at: t }
      }
      // Re-inserted at the young end of the Map's order; the oldest is evicted first.
      buckets.set(key, bucket)
      if (buckets.size > maxKeys) {
        const oldest = leastRecent.next()
        if (oldest && oldest[0] !== key) buckets.delete(oldest[0])
        else leastRecent.restart()
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return 0
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / rate.perSecond))
    },
  }
}

/**
 * The bucket key of a client address: IPv6 clients by their /64, since one host commonly holds a whole /64 and
 * could otherwise step around its limit by changing address.
 */
export function ipBucket(ip: string): string {
  if (!isIPv6(ip) || /^::ffff:\d/i.test(ip)) return ip.replace(/^::ffff:/i, '')
  const [head = '', tail = ''] = ip.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
  return (
    groups
      .slice(0, 4)
      .map((g) => parseInt(g || '0', 16).toString(16))
      .join(':') + '::/64'
  )
}

/** Reads a rate such as `50/s`, `600/m` or `50/s:200` (with a burst; default burst: twice a second's worth, at least 1). */
export function parseRate(text: string): Rate | undefined {
  if (text.trim() === '0') return undefined
  const match = /^(\d+(?:\.\d+)?)\/(s|m|h)(?::(\d+))?$/.exec(text.trim())
  if (!match) throw new Error(`"${text}" is not a rate: write 50/s, 600/m or 50/s:200 (burst 200), or 0 for none`)
  const perSecond = Number(match[1]) / { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h']
  if (perSecond === 0) return undefined
  return { perSecond, burst: match[3] ? Number(match[3]) : Math.max(1, Math.ceil(perSecond * 2)) }
}
