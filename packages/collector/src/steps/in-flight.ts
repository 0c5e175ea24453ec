import type { HeapPressure } from './heap-pressure.js'

/** A claim on part of the in-flight budget, given back when its request is answered. */
export interface Lease {
  /** Claims `bytes` more; false (and nothing claimed) when the budget has no room. */
  take(bytes: number): boolean
  /** Whether `bytes` more would fit now, claiming nothing; false counts as a refusal, as `take`'s does. */
  fits(bytes: number): boolean
  /** Gives back everything this lease claimed. */
  release(): void
}

/** A cap on the request bytes the collector holds at once, across all requests. */
export interface InFlight {
  lease(): Lease
  /** Bytes held now. */
  readonly bytes: number
  /** The most ever held at once. */
  readonly peak: number
  readonly limit: number
}

/** The default cap: see {@link createInFlight}. */
export const defaultInFlightBytes = 6 * 1024 * 1024

/**
 * Bounds memory under any load: every request body (compressed and decompressed bytes alike) is counted while it
 * is read and until its answer is sent; a request that would pass the cap is refused (503 + `Retry-After`) rather
 * than buffered. Snowplow's Kafka sink with `buffer.memory = Long.MaxValue` is what this avoids. A refusal also
 * tells `pressure`, which keeps the heap tight while they go on (see `heap-pressure.ts`).
 *
 * The default, 6 MiB, holds 430 batches of 20 browser events (14 KB each), or twelve of the largest batch the
 * Segment API takes (500 KB) at once. Each body takes several times its size while it is handled: under
 * `npm run bench -- overload`, with the heap kept tight, 6 MiB peaked at 185–189 MiB resident, 8 MiB at 162–215
 * and 16 MiB at 208–223 with the tight heap always on (from 83 MiB at rest).
 *
 * @param limit - bytes held at once (the `--max-in-flight` option, default {@link defaultInFlightBytes})
 */
export function createInFlight(limit = defaultInFlightBytes, pressure?: HeapPressure): InFlight {
  let bytes = 0
  let peak = 0
  const refuse = () => {
    pressure?.refused()
    return false
  }
  return {
    lease() {
      pressure?.calm()
      let held = 0
      return {
        take(n) {
          if (bytes + n > limit) return refuse()
          bytes += n
          held += n
          if (bytes > peak) peak = bytes
          return true
        },
        fits: (n) => bytes + n <= limit || refuse(),
        release() {
          bytes -= held
          held = 0
        },
      }
    },
    get bytes() {
      return bytes
    },
    get peak() {
      return peak
    },
    limit,
  }
}
