import type { LogFields, Logger } from '@spoor/log'

export interface WarnOnceOptions {
  /** A key is logged again after this long, with how often it came up meanwhile, in ms (default 1 h). */
  repeatAfterMs?: number
  /** Keys remembered at once; past it the oldest is forgotten (default 1,000). */
  maxKeys?: number
  /** Lines that may be written at once (default 20); after them, one per `lineEveryMs`. */
  burst?: number
  /** Once the burst is spent, one line per this many ms (default 6 s: 10 a minute). */
  lineEveryMs?: number
  /** The clock, in ms (default `Date.now`). */
  now?: () => number
}

/** Writes `msg` as a warning unless `key` was logged recently; see {@link createWarnOnce}. */
export type WarnOnce = ((key: string, msg: string, fields?: LogFields) => void) & {
  /** Keys remembered now. */
  readonly size: number
  /** The most keys remembered at once. */
  readonly capacity: number
}

/**
 * Warnings that requests can cause, logged once per key and rate limited: the keys come from what clients send, so
 * both the memory of what was logged and the lines written are bounded, whatever a client sends. A key that comes
 * up again within `repeatAfterMs` is only counted, and that count (`repeated`) goes on its next line; warnings
 * held back by the line rate are counted too (`notLogged`, on the next line written).
 *
 * @example
 * const warn = createWarnOnce(log)
 * warn('unknown key|abc', 'refused events with unknown write key "abc"', { writeKey: 'abc' })
 */
export function createWarnOnce(log: Logger, options: WarnOnceOptions = {}): WarnOnce {
  const repeatAfterMs = options.repeatAfterMs ?? 3_600_000
  const maxKeys = options.maxKeys ?? 1000
  const burst = options.burst ?? 20
  const lineEveryMs = options.lineEveryMs ?? 6000
  const now = options.now ?? Date.now
  // Insertion order is the order keys were last logged: the first key is the one to forget.
  const logged = new Map<string, { at: number; repeated: number }>()
  let tokens = burst
  let refilledAt = now()
  let notLogged = 0
  const warn = (key: string, msg: string, fields: LogFields = {}) => {
    const at = now()
    const last = logged.get(key)
    if (last && at - last.at < repeatAfterMs) {
      last.repeated++
      return
    }
    tokens = Math.min(burst, tokens + (at - refilledAt) / lineEveryMs)
    refilledAt = at
    if (tokens < 1) {
      // Not remembered as logged: the key gets its line once the rate allows.
      notLogged++
      return
    }
    tokens--
    logged.delete(key)
    logged.set(key, { at, repeated: 0 })
    if (logged.size > maxKeys) logged.delete(logged.keys().next().value!)
    log.warn(msg, {
      ...fields,
      ...(last?.repeated ? { repeated: last.repeated } : {}),
      ...(notLogged ? { notLogged } : {}),
    })
    notLogged = 0
  }
  return Object.defineProperties(warn, {
    size: { get: () => logged.size },
    capacity: { value: maxKeys },
  }) as WarnOnce
}
