import { createWrittenIds, type WrittenIds } from './written-ids.js'

/** The ids one write holds while it is under way, and that write's outcome. */
export interface Reservation {
  /** The sender's messageIds held (all of one write key: a reservation is one request's). */
  readonly keys: string[]
  /** The write: resolves once its lines are kept, rejects with its failure. Set as soon as the write starts. */
  outcome?: Promise<void>
  /** The memory of the write key the ids were claimed under; set by the first claim. */
  site?: SiteIds
  /** Set once its write settled, kept or not: a second settle changes nothing. */
  settled?: true
}

/**
 * One write key's ids: those held by writes under way, each mapped to the write that claimed it (a few thousand at
 * most, all of requests still in the in-flight budget), and those written, as fingerprints (see `written-ids.ts`).
 */
interface SiteIds {
  readonly held: Map<string, Reservation>
  readonly written: WrittenIds
}

/** What {@link RecentIds.claim} found: the id is now held for the caller (undefined), written already, or held by another write. */
export type Claimed = undefined | 'written' | Reservation

/**
 * The messageIds of recently written events, per write key, to skip a retry's repeat (a beacon sent at unload and
 * the same event sent again by the next page), and the ids whose write is under way, so that two copies of a batch
 * sent at the same moment are not both written. An id counts as written only once its write succeeded, so a failed
 * write can never make its retry look like a repeat: it gives its ids back. Bounded: the oldest written ids are
 * forgotten first; held ids are those of events whose request is still in the in-flight budget. Downstream dedupe
 * by messageId stays the guarantee: this memory is lost on restart and is per process.
 */
export interface RecentIds {
  /** Whether this id was written already (an id still being written is not). */
  has(writeKey: string, messageId: string): boolean
  /** Holds an id for `reservation` unless it is written or held already, and says which. */
  claim(writeKey: string, messageId: string, reservation: Reservation): Claimed
  /** Ends a reservation: its ids become written when `kept`, free again otherwise. */
  settle(reservation: Reservation, kept: boolean): void
  /** Ids held now by writes under way. */
  readonly holding: number
  /** Written ids remembered now, across sites. */
  readonly size: number
  /** The most written ids remembered, across sites. */
  readonly capacity: number
}

/**
 * @param capacity - written ids remembered, across sites (default 500,000)
 * @param sites - how many sites share them: each remembers its own ids, up to an equal share, so that one site's
 *   flood of ids cannot push out another's (default 1)
 */
export function createRecentIds(capacity = 500_000, sites = 1): RecentIds {
  const share = Math.max(1, Math.floor(capacity / Math.max(1, sites)))
  const bySite = new Map<string, SiteIds>()
  let holding = 0
  const siteOf = (writeKey: string) => {
    let site = bySite.get(writeKey)
    if (!site) {
      site = { held: new Map(), written: createWrittenIds(share) }
      bySite.set(writeKey, site)
    }
    return site
  }
  return {
    has: (writeKey, messageId) => bySite.get(writeKey)?.written.has(messageId) === true,
    claim(writeKey, messageId, reservation) {
      const site = reservation.site ?? siteOf(writeKey)
      const holder = site.held.get(messageId)
      if (holder) return holder
      if (site.written.has(messageId)) return 'written'
      reservation.site ??= site
      site.held.set(messageId, reservation)
      reservation.keys.push(messageId)
      holding++
      return undefined
    },
    settle(reservation, kept) {
      const { keys, site } = reservation
      if (!site || reservation.settled) return
      holding -= keys.length
      reservation.settled = true
      // Its outcome is read only by copies that claim its ids while it is under way; kept or not, it is over.
      reservation.outcome = undefined
      for (const id of keys) {
        if (site.held.get(id) !== reservation) continue
        site.held.delete(id)
        if (kept) site.written.add(id)
      }
    },
    get holding() {
      return holding
    },
    get size() {
      let size = 0
      for (const site of bySite.values()) size += site.written.size
      return size
    },
    capacity,
  }
}
