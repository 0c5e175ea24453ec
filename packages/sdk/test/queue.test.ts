import { describe, expect, it } from 'vitest'
import { createMemoryStore } from '../src/core/memory-store.js'
import { createQueue } from '../src/core/queue.js'
import { countingStore, event } from './fakes.js'

describe('queue', () => {
  it('writes the events of one tick in one store write', async () => {
    const { store, calls } = countingStore()
    const queue = createQueue(store)
    for (let i = 0; i < 5; i++) queue._add(event(i))
    await queue._write()
    expect(calls.write).toBe(1)
    expect((await store.load()).map((e) => e.id)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4'])
    queue._add(event(5))
    await queue._write()
    expect(calls.write).toBe(2)
  })

  it("loads every tab's events from the store, oldest first", async () => {
    const shared = createMemoryStore()
    let clock = 1000
    const tabA = createQueue(shared, {}, () => clock++)
    const tabB = createQueue(shared, {}, () => clock++)
    tabA._add(event(1))
    tabB._add(event(2))
    tabA._add(event(3))
    expect((await tabB._load()).map((e) => e.id)).toEqual(['m1', 'm2', 'm3'])
  })

  it('drops the oldest events past the count cap, and counts them', async () => {
    const queue = createQueue(createMemoryStore(), { maxEvents: 3 })
    for (let i = 0; i < 5; i++) queue._add(event(i))
    expect((await queue._load()).map((e) => e.id)).toEqual(['m2', 'm3', 'm4'])
    expect(queue._dropped).toBe(2)
  })

  it('drops the oldest events past the byte cap', async () => {
    const queue = createQueue(createMemoryStore(), { maxBytes: 250 })
    for (let i = 0; i < 5; i++) queue._add(event(i, { properties: { pad: 'x'.repeat(60) } }))
    const kept = await queue._load()
    expect(kept.reduce((sum, e) => sum + e.size, 0)).toBeLessThanOrEqual(250)
    expect(kept.at(-1)!.id).toBe('m4')
    expect(queue._dropped).toBe(5 - kept.length)
  })

  it('drops events older than the TTL', async () => {
    let now = 0
    const queue = createQueue(createMemoryStore(), { ttl: 1000 }, () => now)
    queue._add(event(1))
    now = 900
    queue._add(event(2))
    now = 1500
    expect((await queue._load()).map((e) => e.id)).toEqual(['m2'])
    expect(queue._dropped).toBe(1)
  })

  it('clears memory and store (consent revoked)', async () => {
    const store = createMemoryStore()
    const queue = createQueue(store)
    queue._add(event(1))
    await queue._clear()
    expect(await store.load()).toEqual([])
    expect(queue._own()).toEqual([])
  })
})
