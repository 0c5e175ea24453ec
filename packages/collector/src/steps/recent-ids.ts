/**
 * The messageIds of recently written events, per write key, to skip a retry's repeat (a beacon sent at unload and
 * the same event sent again by the next page). Bounded: the oldest ids are forgotten first. An id is remembered
 * only after its write succeeded, so a failed write can never make its retry look like a repeat. Downstream dedupe
 * by messageId stays the guarantee: this memory is lost on restart and is per process.
 */
export interface RecentIds {
  /** Whether this id was written already. */
  has(writeKey: string, messageId: string): boolean
  /** Remembers ids whose write succeeded. */
  remember(writeKey: string, messageIds: string[]): void
}

export function createRecentIds(capacity = 500_000): RecentIds {
  const ids = new Set<string>()
  return {
    has: (writeKey, messageId) => ids.has(writeKey + '\n' + messageId),
    remember(writeKey, messageIds) {
      for (const id of messageIds) {
        const key = writeKey + '\n' + id
        // Re-inserting moves a key to the young end of the Set's insertion order.
        ids.delete(key)
        ids.add(key)
      }
      for (const oldest of ids) {
        if (ids.size <= capacity) break
        ids.delete(oldest)
      }
    },
  }
}
