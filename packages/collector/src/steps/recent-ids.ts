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
}

/** @param capacity - written ids remembered (default 500,000) */
export function createRecentIds(capacity = 500_000): RecentIds {
  const written = new Set<string>()
  // One entry per id, pointing at its batch's reservation: one object per write, however many ids it holds.
  const held = new Map<string, Reservation>()
  return {
    has: (writeKey, messageId) => written.has(writeKey + '\n' + messageId),
    claim(writeKey, messageId, reservation) {
      const key = writeKey + '\n' + messageId
      if (written.has(key)) return 'written'
      const holder = held.get(key)
      if (holder) return holder
      held.set(key, reservation)
      reservation.keys.push(key)
      return undefined
    },
    settle({ keys }, kept) {
      for (const key of keys) held.delete(key)
      if (!kept) return
      // A held id was not in `written` (claim checked, and only its own reservation adds it): the Set's insertion
      // order stays the order of writing, oldest first.
      for (const key of keys) written.add(key)
      for (const oldest of written) {
        if (written.size <= capacity) break
        written.delete(oldest)
      }
    },
    get holding() {
      return held.size
    },
  }
}
