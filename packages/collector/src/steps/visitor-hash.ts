import { createHmac, randomBytes } from 'node:crypto'

/** Cookieless visitor ids: a keyed hash of site, IP and user agent, with a salt that changes every day. */
export interface VisitorHasher {
  /**
   * The visitor hash of an event that happened at `at`, or undefined when the salt of that day is gone (more
   * than a day old) or the IP or user agent is missing.
   */
  hash(writeKey: string, ip: string | undefined, userAgent: string | undefined, at: Date): string | undefined
}

const dayOf = (date: Date) => date.toISOString().slice(0, 10)

/**
 * Creates the hasher, as Plausible counts visitors: `HMAC-SHA256(daily salt, site + IP + user agent)`, cut to 64
 * bits. Each UTC day gets a random salt that lives only in this process's memory; the previous day's is kept so
 * that an event from before midnight that arrives after it still hashes with its own day's salt, and anything
 * older is deleted. The same visitor thus gets one id per site per day and cannot be followed across days, and
 * nobody — the operator included — can recompute an id from an IP once the salt is gone (after 48 h at most). A
 * restart starts new salts: that day's ids change.
 *
 * @param now - the clock (default `new Date()`)
 */
export function createVisitorHasher(now: () => Date = () => new Date()): VisitorHasher {
  const salts = new Map<string, Buffer>()
  return {
    hash(writeKey, ip, userAgent, at) {
      if (!ip || !userAgent) return undefined
      const today = dayOf(now())
      const yesterday = dayOf(new Date(Date.parse(today) - 86_400_000))
      for (const day of salts.keys()) if (day !== today && day !== yesterday) salts.delete(day)
      const eventDay = dayOf(at)
      // An event stamped in the future (a client clock the correction could not fix) counts as today's.
      // biome-ignore lint/complexity/useMathMinMax: days are ISO date strings, which compare as text, not numbers
      const day = eventDay > today ? today : eventDay
      if (day !== today && day !== yesterday) return undefined
      let salt = salts.get(day)
      if (!salt) {
        salt = randomBytes(32)
        salts.set(day, salt)
      }
      return createHmac('sha256', salt).update(`${writeKey}\n${ip}\n${userAgent}`).digest('hex').slice(0, 16)
    },
  }
}
