/** The ids one write holds while it is under way, and that write's outcome. */
export interface Reservation {
  /** The sender's messageIds held (all of one write key: a reservation is one request's). */
  readonly keys: string[]
  /** The write: resolves once its lines are kept, rejects with its failure. Set as soon as the write starts. */
  outcome?: Promise<void>
  /** The memory of the write key the ids were claimed under; set by the first claim. */
  site?: SiteIds
  /** Set once its write succeeded: its ids are written from then on. */
  kept?: boolean
}

/**
 * One write key's ids, each mapped to the reservation that claimed it: held while that write is under way, written
 * once it is kept. Settling a write marks its reservation, not each of its ids.
 */
interface SiteIds {
  readonly ids: Map<string, Reservation>
  /**
   * The reservations in the order they claimed their ids, from `head` on: the order in which the oldest ids are
   * forgotten, a request's ids together. Not the map's own order: a map leaves a hole where an entry was deleted
   * until it next grows, and every walk from its front steps over all of them, so forgetting the oldest ids by
   * walking the map cost 6–8 µs per id once the memory was full (500,000 ids), against about 1 µs before.
   */
  order: Reservation[]
  head: number
  /** Places in `order` of writes that failed, dropped when the order is cut. */
  failed: number
  /** Entries of `ids` that are written (the others are held). */
  written: number
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
  // One map per write key, id → the reservation that claimed it. Each id is the sender's own string, kept once: no
  // key built of write key and id, no second copy for the written set.
  const bySite = new Map<string, SiteIds>()
  let size = 0
  let holding = 0
  const siteOf = (writeKey: string) => {
    let site = bySite.get(writeKey)
    if (!site) {
      site = { ids: new Map(), order: [], head: 0, failed: 0, written: 0 }
      bySite.set(writeKey, site)
    }
    return site
  }
  // Forgets the oldest written ids past the site's share, a request's at a time. A write still under way is not
  // forgotten: its ids are events of a request still in the in-flight budget, found at the front only when its write
  // is slow, and it goes to the back of the order to be looked at again. A failed write's place is dropped: its ids
  // were given back, and any claimed again since belong to a newer reservation, which has its own place.
  const trim = (site: SiteIds) => {
    const { ids, order } = site
    while (site.written > share && site.head < order.length) {
      const reservation = order[site.head++]!
      if (reservation.kept === undefined) {
        order.push(reservation)
        continue
      }
      if (!reservation.kept) {
        site.failed--
        continue
      }
      for (const id of reservation.keys) {
        if (ids.get(id) !== reservation) continue
        ids.delete(id)
        site.written--
        size--
      }
    }
    cut(site)
  }
  // The order's consumed front is cut off once it is most of the array, and the places of failed writes once they
  // are most of what is left (a failing disk fails write after write before the memory is ever full): a copy of
  // what is left, now and then, so that the order stays within twice the reservations that hold ids.
  const cut = (site: SiteIds) => {
    const { order, head } = site
    const left = order.length - head
    if (site.failed > 4096 && site.failed * 2 > left) {
      site.order = order.slice(head).filter((reservation) => reservation.kept !== false)
      site.head = 0
      site.failed = 0
    } else if (head > 4096 && head > left) {
      site.order = order.slice(head)
      site.head = 0
    }
  }
  return {
    has: (writeKey, messageId) => bySite.get(writeKey)?.ids.get(messageId)?.kept === true,
    claim(writeKey, messageId, reservation) {
      const site = reservation.site ?? siteOf(writeKey)
      const state = site.ids.get(messageId)
      if (state?.kept) return 'written'
      if (state) return state
      if (!reservation.site) {
        reservation.site = site
        site.order.push(reservation)
      }
      site.ids.set(messageId, reservation)
      reservation.keys.push(messageId)
      holding++
      return undefined
    },
    settle(reservation, kept) {
      const { keys, site } = reservation
      if (!site || reservation.kept !== undefined) return
      holding -= keys.length
      reservation.kept = kept
      // Its outcome is read only by copies that claim its ids while it is under way; kept or not, it is over.
      reservation.outcome = undefined
      if (!kept) {
        for (const id of keys) if (site.ids.get(id) === reservation) site.ids.delete(id)
        site.failed++
        cut(site)
        return
      }
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
