/** A claim on part of the in-flight budget, given back when its request is answered. */
export interface Lease {
  /** Claims `bytes` more; false (and nothing claimed) when the budget has no room. */
  take(bytes: number): boolean
  /** Whether `bytes` more would fit now, claiming nothing. */
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

/**
 * Bounds memory under any load: every request body (compressed and decompressed bytes alike) is counted while it
 * is read and until its answer is sent; a request that would pass the cap is refused (503 + `Retry-After`) rather
 * than buffered. Snowplow's Kafka sink with `buffer.memory = Long.MaxValue` is what this avoids.
 *
 * @param limit - bytes held at once (the `--max-in-flight` option, default 16 MiB)
 */
export function createInFlight(limit = 16 * 1024 * 1024): InFlight {
  let bytes = 0
  let peak = 0
  return {
    lease() {
      let held = 0
      return {
        take(n) {
          if (bytes + n > limit) return false
          bytes += n
          held += n
          if (bytes > peak) peak = bytes
          return true
        },
        fits: (n) => bytes + n <= limit,
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
