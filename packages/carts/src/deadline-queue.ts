/** A min-heap of keys by deadline: what is due first comes out first. */
export interface DeadlineQueue {
  push(at: number, key: string): void
  /** Takes the earliest entry if its deadline is at or before `now`. */
  popDue(now: number): string | undefined
  size(): number
  /** Every entry, in no particular order (a checkpoint's; pushed back in any order, they queue the same). */
  entries(): [at: number, key: string][]
}

/**
 * Creates the queue the detector keeps its open carts in, so that finding the carts due at a tick costs the due
 * ones, not all of them (a batch run ticks once per arrival).
 */
export function createDeadlineQueue(): DeadlineQueue {
  const heap: { at: number; key: string }[] = []
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!])
  return {
    push(at, key) {
      heap.push({ at, key })
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1
        if (heap[parent]!.at <= heap[i]!.at) break
        swap(i, parent)
        i = parent
      }
    },
    popDue(now) {
      if (!heap.length || heap[0]!.at > now) return undefined
      const top = heap[0]!
      const last = heap.pop()!
      if (heap.length) {
        heap[0] = last
        for (let i = 0; ; ) {
          const left = 2 * i + 1
          const right = left + 1
          let smallest = i
          if (left < heap.length && heap[left]!.at < heap[smallest]!.at) smallest = left
          if (right < heap.length && heap[right]!.at < heap[smallest]!.at) smallest = right
          if (smallest === i) break
          swap(i, smallest)
          i = smallest
        }
      }
      return top.key
    },
    size: () => heap.length,
    entries: () => heap.map((entry) => [entry.at, entry.key]),
  }
}
