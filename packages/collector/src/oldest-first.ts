/** The entries of a Map oldest first, for a map that forgets its oldest: see {@link oldestFirst}. */
export interface OldestFirst<K, V> {
  /** The oldest entry the walk has not passed yet; undefined when there is none. */
  next(): [K, V] | undefined
  /** Starts the next walk at the map's front: after passing an entry that stays in the map. */
  restart(): void
}

/**
 * Walks a Map in its insertion order, oldest first, going on from where the last call stopped, for maps that
 * forget their oldest entries to stay bounded. A Map leaves a hole where an entry was deleted until it next grows,
 * and a walk started at its front steps over every one: a map that forgets its oldest entry per new one, each time
 * by a new walk from the front, spent 30–60 µs per new key once full (77,000 entries; its holes were as many).
 * One walk that goes on steps over each hole once.
 *
 * The walk does not come back for what it passed: the caller deletes each entry it is given, or calls
 * {@link OldestFirst.restart} when it keeps one. Entries set or moved to the end (deleted and set again) after the
 * walk passed their old place are met again at the end, in order; a walk that has reached the end (a JavaScript
 * iterator that is done stays done) gives way to a new one from the front.
 */
export function oldestFirst<K, V>(map: Map<K, V>): OldestFirst<K, V> {
  let walk: Iterator<[K, V]> | undefined
  return {
    next() {
      let step = walk?.next()
      if (!step || step.done) {
        walk = map.entries()
        step = walk.next()
      }
      return step.done ? undefined : step.value
    },
    restart() {
      walk = undefined
    },
  }
}
