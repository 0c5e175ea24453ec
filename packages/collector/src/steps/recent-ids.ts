/** The ids one write holds while it is under way, and that write's outcome. */
export interface Reservation {
  /** The sender's messageIds held (all of one write key: a reservation is one request's). */
  readonly keys: string[]
  /** The write: resolves once its lines are kept, rejects with its failure. Set as soon as the write starts. */
  outcome?: Promise<void>
  /** The memory of the write key the ids were claimed under; set by the first claim. */
  site?: SiteIds
}

/** One write key's ids: each maps to the reservation writing it, or to {@link written} once its write succeeded. */
interface SiteIds {
  readonly ids: Map<string, Reservation | typeof written>
  /** Entries of `ids` that are written (the others are held). */
  written: number
}

/** The mark of an id whose write succeeded. */
const written = 1

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
  // One map per write key, id → state, in the order the ids were first claimed (a Map's insertion order): a
  // written id stays where it was claimed, so the oldest written ids are at the front. Each id is the sender's own
  // string, kept once: no key built of write key and id, no second copy for the written set.
  const bySite = new Map<string, SiteIds>()
  let size = 0
  let holding = 0
  const siteOf = (writeKey: string) => {
    let site = bySite.get(writeKey)
    if (!site) {
      site = { ids: new Map(), written: 0 }
      bySite.set(writeKey, site)
    }
    return site
  }
  // Forgets the oldest written ids past the site's share. Held ids are skipped, not evicted: they are events of
  // requests still in the in-flight budget, and a held id is found at the front only when its write is slow.
  const trim = (site: SiteIds) => {
    for (const [id, state] of site.ids) {
      if (site.written <= share) return
      if (state !== written) continue
      site.ids.delete(id)
      site.written--
      size--
    }
  }
  return {
    has: (writeKey, messageId) => bySite.get(writeKey)?.ids.get(messageId) === written,
    claim(writeKey, messageId, reservation) {
      reservation.site ??= siteOf(writeKey)
      const site = reservation.site
      const state = site.ids.get(messageId)
      if (state === written) return 'written'
      if (state) return state
      site.ids.set(messageId, reservation)
      reservation.keys.push(messageId)
      holding++
      return undefined
    },
    settle(reservation, kept) {
      const { keys, site } = reservation
      if (!site) return
      holding -= keys.length
      if (!kept) {
        for (const id of keys) site.ids.delete(id)
        return
      }
      // Set on a present key keeps its place: a held id becomes written where it stands.
      for (const id of keys) site.ids.set(id, written)
      site.written += keys.length
      size += keys.length
      if (site.written > share) trim(site)
    },
    get holding() {
      return holding
    },
    get size() {
      return size
    },
    capacity,
  }
}
