import { describe, expect, it } from 'vitest'
import { createWrittenIds } from '../src/steps/written-ids.js'

/** A seeded generator (mulberry32), so a failure can be replayed. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
}

/** The plain model: the last `capacity` distinct ids added, oldest first. */
const createModel = (capacity: number) => {
  const order: string[] = []
  const held = new Set<string>()
  return {
    has: (id: string) => held.has(id),
    add(id: string) {
      if (held.has(id)) return
      if (order.length === capacity) held.delete(order.shift()!)
      order.push(id)
      held.add(id)
    },
    get size() {
      return order.length
    },
  }
}

describe('the written-id fingerprints', () => {
  for (const capacity of [1, 3, 600, 5000]) {
    it(`hold exactly the last ${capacity} distinct ids added, through growth, wrap-around and deletes`, () => {
      const next = random(capacity)
      const ids = createWrittenIds(capacity)
      const model = createModel(capacity)
      // Sequential ids (as a sender's counter makes them) and ids seen before, old and recent, so that adds of ids
      // already held, of ids forgotten and of new ones all happen, and probe chains are cut often.
      let made = 0
      const pick = () => {
        const roll = next()
        if (roll < 0.6 || made === 0) return `msg-${made++}`
        const back = Math.floor(next() * Math.min(made, roll < 0.8 ? capacity : capacity * 4))
        return `msg-${made - 1 - back}`
      }
      for (let step = 0; step < 60_000; step++) {
        const id = pick()
        expect(ids.has(id)).toBe(model.has(id))
        ids.add(id)
        model.add(id)
        if (step % 97 === 0) {
          expect(ids.size).toBe(model.size)
          // Every id made so far (or the last ten thousand): each is held exactly when the model holds it.
          for (let n = Math.max(0, made - 10_000); n < made; n++) {
            if (ids.has(`msg-${n}`) !== model.has(`msg-${n}`)) {
              throw new Error(`step ${step}: msg-${n} held ${ids.has(`msg-${n}`)}, model says ${model.has(`msg-${n}`)}`)
            }
          }
        }
      }
      expect(ids.size).toBe(Math.min(capacity, model.size))
    })
  }

  it('tell apart ids that differ in one character, or only in length', () => {
    const ids = createWrittenIds(100_000)
    for (let n = 0; n < 50_000; n++) ids.add(`5ba8429e-6f3c-4c1d-9a0e-${String(n).padStart(12, '0')}`)
    let falseHits = 0
    for (let n = 50_000; n < 100_000; n++)
      if (ids.has(`5ba8429e-6f3c-4c1d-9a0e-${String(n).padStart(12, '0')}`)) falseHits++
    for (let n = 0; n < 50_000; n++) if (ids.has(`5ba8429e-6f3c-4c1d-9a0e-${String(n).padStart(12, '0')}-`)) falseHits++
    expect(falseHits).toBe(0)
    expect(ids.has('')).toBe(false)
    ids.add('')
    expect(ids.has('')).toBe(true)
  })
})
