import { describe, expect, it } from 'vitest'
import { oldestFirst } from '../src/oldest-first.js'

// A small deterministic generator, so that a failure repeats.
const random = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
  return seed / 2 ** 31
}

describe('oldestFirst', () => {
  it('gives a least-recently-used map the same evictions as a plain list would, through many deletes and regrowths', () => {
    const capacity = 500
    const map = new Map<string, number>()
    const walk = oldestFirst(map)
    // The reference: keys from least to most recently used.
    let order: string[] = []
    const next = random(7)
    let made = 0
    for (let step = 0; step < 60_000; step++) {
      const roll = next()
      if (roll < 0.5 || order.length === 0) {
        const key = `k${made++}`
        map.set(key, step)
        order.push(key)
      } else if (roll < 0.85) {
        // A use moves the key to the young end, as the rate limiter and the visit memory do.
        const key = order[Math.floor(next() * order.length)]!
        map.delete(key)
        map.set(key, step)
        order = order.filter((k) => k !== key)
        order.push(key)
      } else {
        const key = order[Math.floor(next() * order.length)]!
        map.delete(key)
        order = order.filter((k) => k !== key)
      }
      while (map.size > capacity) {
        const oldest = walk.next()
        expect(oldest?.[0]).toBe(order[0])
        map.delete(oldest![0])
        order.shift()
      }
    }
    expect([...map.keys()]).toEqual(order)
    expect(made).toBeGreaterThan(20_000)
  })

  it('starts again from the front once it has passed everything, and when told to', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
    ])
    const walk = oldestFirst(map)
    expect(walk.next()?.[0]).toBe('a')
    expect(walk.next()?.[0]).toBe('b')
    // Past the end: a new walk, from the front.
    expect(walk.next()?.[0]).toBe('a')
    walk.restart()
    expect(walk.next()?.[0]).toBe('a')
    map.clear()
    expect(walk.next()).toBeUndefined()
  })
})
