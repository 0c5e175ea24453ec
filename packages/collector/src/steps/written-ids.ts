/**
 * A bounded set of strings that forgets the oldest added first, holding no string: each is kept as a 64-bit
 * fingerprint in typed arrays. For the messageIds the collector wrote, this is what a `Map` of the ids cost and
 * this does not:
 * - the ids themselves, half a million strings kept alive in the old generation, which every full garbage
 *   collection marks;
 * - the map's entries, and a string comparison on each lookup (a second cache miss, into the string).
 *
 * Two different ids share a fingerprint with a chance of about one in 2^63 for each pair (one bit is spent on
 * marking empty slots); with 500,000 ids held, a new id is taken for one of them about once in 10^13 ids. Such a
 * collision answers one event as a duplicate and does not write it: far rarer than any disk error.
 *
 * The table is open addressing with linear probing, at most half full, and deletes by shifting the probe chain
 * back (no tombstones, so a long-running set does not slow down). The order of forgetting is a ring of the
 * fingerprints as they were added. Both grow by doubling up to `capacity`, so a quiet site holds a few kilobytes.
 */
export interface WrittenIds {
  has(id: string): boolean
  /** Adds an id not held yet (one held already is left where it is), forgetting the oldest once full. */
  add(id: string): void
  readonly size: number
}

// The two halves of a fingerprint, from one pass over the string: FNV-1a in two variants (other seeds and
// multipliers), each finished with MurmurHash3's mixing step so that ids differing in one character spread over
// the whole table. Left in these two variables rather than returned, so that no pair is allocated per id.
let fingerprintLow = 0
let fingerprintHigh = 0
const mix = (hash: number) => {
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b)
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35)
  return hash ^ (hash >>> 16)
}
const fingerprint = (id: string) => {
  let low = 0x811c9dc5
  let high = 0x050c5d1f
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i)
    low = Math.imul(low ^ code, 0x01000193)
    high = Math.imul(high ^ code, 0x5bd1e995)
  }
  fingerprintLow = mix(low)
  // (0, 0) marks an empty slot: no fingerprint is all zeros.
  fingerprintHigh = mix(high ^ id.length) | 1
}

/** @param capacity - ids remembered before the oldest is forgotten for each new one */
export function createWrittenIds(capacity: number): WrittenIds {
  let slots = 1024
  let mask = slots - 1
  let low = new Int32Array(slots)
  let high = new Int32Array(slots)
  // The ids' fingerprints in the order they were added: from `oldest` on, `size` of them, wrapping at the end.
  let ringLow = new Int32Array(Math.min(capacity, 512))
  let ringHigh = new Int32Array(ringLow.length)
  let oldest = 0
  let size = 0

  const find = (l: number, h: number) => {
    let slot = l & mask
    while (low[slot] !== 0 || high[slot] !== 0) {
      if (low[slot] === l && high[slot] === h) return slot
      slot = (slot + 1) & mask
    }
    return ~slot
  }
  const place = (l: number, h: number) => {
    let slot = l & mask
    while (low[slot] !== 0 || high[slot] !== 0) slot = (slot + 1) & mask
    low[slot] = l
    high[slot] = h
  }
  // Empties a slot and moves back each entry after it that its probe from home would no longer reach.
  const remove = (slot: number) => {
    let gap = slot
    let next = (slot + 1) & mask
    while (low[next] !== 0 || high[next] !== 0) {
      const home = low[next]! & mask
      // The entry at `next` may fill the gap when its home is not strictly between the gap and it (cyclically).
      const reaches = gap <= next ? home <= gap || home > next : home <= gap && home > next
      if (reaches) {
        low[gap] = low[next]!
        high[gap] = high[next]!
        gap = next
      }
      next = (next + 1) & mask
    }
    low[gap] = 0
    high[gap] = 0
  }
  const growTable = () => {
    const oldLow = low
    const oldHigh = high
    slots *= 2
    mask = slots - 1
    low = new Int32Array(slots)
    high = new Int32Array(slots)
    for (let slot = 0; slot < oldLow.length; slot++) {
      if (oldLow[slot] !== 0 || oldHigh[slot] !== 0) place(oldLow[slot]!, oldHigh[slot]!)
    }
  }
  // The ring grows only while nothing has been forgotten yet, when its entries start at 0 and do not wrap.
  const growRing = () => {
    const length = Math.min(capacity, ringLow.length * 2)
    const nextLow = new Int32Array(length)
    const nextHigh = new Int32Array(length)
    nextLow.set(ringLow)
    nextHigh.set(ringHigh)
    ringLow = nextLow
    ringHigh = nextHigh
  }

  return {
    has(id) {
      fingerprint(id)
      return find(fingerprintLow, fingerprintHigh) >= 0
    },
    add(id) {
      fingerprint(id)
      const l = fingerprintLow
      const h = fingerprintHigh
      if (find(l, h) >= 0) return
      if (size === capacity) {
        const slot = find(ringLow[oldest]!, ringHigh[oldest]!)
        if (slot >= 0) remove(slot)
        oldest = (oldest + 1) % capacity
        size--
      } else if (size === ringLow.length) growRing()
      if ((size + 1) * 2 > slots) growTable()
      place(l, h)
      const at = (oldest + size) % capacity
      ringLow[at] = l
      ringHigh[at] = h
      size++
    },
    get size() {
      return size
    },
  }
}
