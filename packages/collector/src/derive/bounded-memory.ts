import { oldestFirst } from '../oldest-first.js'

/** A map that forgets its least recently used entries to stay within a byte budget. */
export interface BoundedMemory<V> {
  get(key: string): V | undefined
  /** Remembers `value` as `bytes` bytes (its key's are added), forgetting the least recently used to make room. */
  set(key: string, value: V, bytes: number): void
  /** Entries remembered. */
  readonly size: number
  /** Bytes remembered, as the callers counted them. */
  readonly bytes: number
}

// What a Map entry and its bookkeeping cost besides the key and the value's own bytes.
const entryBytes = 64

/**
 * A least-recently-used map bounded by bytes, not entries: what senders put in it (ids, campaign values) decides
 * the size of each entry, so a count alone would not bound the memory. A `get` counts as a use.
 *
 * @param budget the most bytes remembered
 */
export function createBoundedMemory<V>(budget: number): BoundedMemory<V> {
  const entries = new Map<string, { value: V; bytes: number }>()
  let bytes = 0
  // The most recently used key, already last in the map: a use of it again (the next event of the same visitor,
  // as most of a batch's are) moves nothing. A delete and a set per use were 5% of the collector's CPU under load.
  let newest: string | undefined
  // The least recently used first, by one walk that goes on where it stopped (see oldest-first.ts).
  const leastRecent = oldestFirst(entries)
  return {
    get(key) {
      const entry = entries.get(key)
      if (!entry) return undefined
      // Map iterates in insertion order: moving the entry to the end makes the first one the least recently used.
      if (key !== newest) {
        entries.delete(key)
        entries.set(key, entry)
        newest = key
      }
      return entry.value
    },
    set(key, value, size) {
      const entryCost = size + key.length * 2 + entryBytes
      const old = entries.get(key)
      if (old && key === newest) {
        bytes += entryCost - old.bytes
        old.value = value
        old.bytes = entryCost
      } else {
        if (old) {
          bytes -= old.bytes
          entries.delete(key)
        }
        bytes += entryCost
        entries.set(key, { value, bytes: entryCost })
        newest = key
      }
      while (bytes > budget) {
        const oldest = leastRecent.next()
        // The entry just set is the newest: nothing older is left to forget, and it stays.
        if (!oldest || oldest[0] === key) {
          leastRecent.restart()
          break
        }
        entries.delete(oldest[0])
        bytes -= oldest[1].bytes
      }
    },
    get size() {
      return entries.size
    },
    get bytes() {
      return bytes
    },
  }
}
