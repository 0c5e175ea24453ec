/** The ids one write holds while it is under way, and that write's outcome. */
export interface Reservation {
  /** The ids held, as the memory keys them. */
  readonly keys: string[]
  /** The write: resolves once its lines are kept, rejects with its failure. Set as soon as the write starts. */
  outcome?: Promise<void>
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
  // Per write key, in the order of writing (a Set's insertion order), oldest first.
  const written = new Map<string, Set<string>>()
  let size = 0
  // One entry per id, pointing at its batch's reservation: one object per write, however many ids it holds.
  const held = new Map<string, Reservation>()
  const writtenOf = (writeKey: string) => {
    let ids = written.get(writeKey)
    if (!ids) written.set(writeKey, (ids = new Set()))
    return ids
  }
  return {
    has: (writeKey, messageId) => written.get(writeKey)?.has(messageId) ?? false,
    claim(writeKey, messageId, reservation) {
      if (written.get(writeKey)?.has(messageId)) return 'written'
      const key = writeKey + '\n' + messageId
      const holder = held.get(key)
      if (holder) return holder
      held.set(key, reservation)
      reservation.keys.push(key)
      return undefined
    },
    settle({ keys }, kept) {
      for (const key of keys) held.delete(key)
      if (!kept) return
      for (const key of keys) {
        const cut = key.indexOf('\n')
        const ids = writtenOf(key.slice(0, cut))
        // A held id was not written yet (claim checked, and only its own reservation adds it).
        ids.add(key.slice(cut + 1))
        size++
        if (ids.size > share) {
          const oldest = ids.values().next().value!
          ids.delete(oldest)
          size--
        }
      }
    },
    get holding() {
      return held.size
    },
    get size() {
      return size
    },
    capacity,
  }
}
