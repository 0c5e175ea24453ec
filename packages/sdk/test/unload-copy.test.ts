import { describe, expect, it } from 'vitest'
import type { QueuedEvent, Store } from '../src/core/contracts.js'
import { createMemoryStore } from '../src/core/memory-store.js'
import { createTrackerCore } from '../src/core/tracker.js'
import { fakeTransport, memoryKeyValue, noLock } from './fakes.js'

/** A store whose writes have not landed when the page goes (IndexedDB still opening, or committing). */
const landingStore = (): Store & { landed: QueuedEvent[] } => {
  const landed: QueuedEvent[] = []
  return { landed, load: async () => landed, write: () => new Promise<void>(() => {}) }
}

const page = (store: Store, storage: ReturnType<typeof memoryKeyValue>) => {
  const fake = fakeTransport()
  const tracker = createTrackerCore({
    writeKey: 'KEY',
    store,
    transport: fake.transport,
    lock: noLock,
    storage: () => storage,
    library: { name: 'spoor', version: '0' },
  })
  return { tracker, fake }
}

describe('the unload copy', () => {
  it('keeps what a page tracked just before it went, while its store write was still landing, for the next page', async () => {
    const storage = memoryKeyValue()
    const first = page(landingStore(), storage)
    for (const n of [1, 2, 3]) first.tracker.track('Clicked', { n })
    // The page goes; its beacon is lost (the fake transport records it, and nothing more comes of it).
    first.tracker.hide(true)
    const next = page(createMemoryStore(), storage)
    await next.tracker.flush()
    expect(next.fake.sent.flatMap((s) => s.events).map((e) => e.properties?.n)).toEqual([1, 2, 3])
    // Taken: a third page finds nothing left over.
    const third = page(createMemoryStore(), storage)
    await third.tracker.flush()
    expect(third.fake.sent).toEqual([])
  })

  it("leaves them out of the next page's first send, which the earlier page's beacon may still overlap", async () => {
    const storage = memoryKeyValue()
    const first = page(landingStore(), storage)
    for (const n of [1, 2, 3]) first.tracker.track('Clicked', { n })
    first.tracker.hide(true)
    expect(first.fake.beacons.flatMap((b) => b.events).map((e) => e.properties?.n)).toEqual([1, 2, 3])

    const next = page(createMemoryStore(), storage)
    // The next page's first event leaves at once, alone: not with what the earlier page is beaconing.
    next.tracker.page('Home')
    await expect.poll(() => next.fake.sent.length).toBe(1)
    expect(next.fake.sent[0]!.events.map((e) => e.type)).toEqual(['page'])
    // Until its flush of what waits they stay in localStorage, where a page that goes at once adds its own to them.
    expect(JSON.parse(storage.getItem('spoor.unload.KEY') ?? '[]')).toHaveLength(3)
    await next.tracker.flush()
    expect(
      next.fake.sent
        .slice(1)
        .flatMap((s) => s.events)
        .map((e) => e.properties?.n),
    ).toEqual([1, 2, 3])
    expect(storage.getItem('spoor.unload.KEY')).toBeNull()
  })

  it('keeps nothing for events already in the store, and nothing without consent', async () => {
    const storage = memoryKeyValue()
    const stored = page(createMemoryStore(), storage)
    stored.tracker.track('Viewed')
    await new Promise((resolve) => setTimeout(resolve, 0))
    stored.tracker.hide(true)
    expect(Object.keys(storage).filter((key) => key.startsWith('spoor.unload.'))).toEqual([])

    const denied = createTrackerCore({
      writeKey: 'KEY',
      store: landingStore(),
      transport: fakeTransport().transport,
      lock: noLock,
      storage: () => storage,
      library: { name: 'spoor', version: '0' },
      consent: 'denied',
    })
    denied.track('Viewed')
    denied.hide(true)
    expect(Object.keys(storage).filter((key) => key.startsWith('spoor.unload.'))).toEqual([])
  })
})
