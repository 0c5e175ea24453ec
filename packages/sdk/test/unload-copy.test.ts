import { describe, expect, it } from 'vitest'
import type { KeyValue, QueuedEvent, Store } from '../src/core/contracts.js'
import { createMemoryStore } from '../src/core/memory-store.js'
import { type CoreOptions, createTrackerCore } from '../src/core/tracker.js'
import { fakeTransport, memoryKeyValue, noLock } from './fakes.js'

/** A store whose writes have not landed when the page goes (IndexedDB still opening, or committing). */
const landingStore = (): Store & { landed: QueuedEvent[] } => {
  const landed: QueuedEvent[] = []
  return { landed, load: async () => landed, write: () => new Promise<void>(() => {}) }
}

const page = (store: Store, storage: KeyValue, options: Partial<CoreOptions> = {}) => {
  const fake = fakeTransport()
  const tracker = createTrackerCore({
    writeKey: 'KEY',
    store,
    transport: fake.transport,
    lock: noLock,
    storage: () => storage,
    library: { name: 'spoor', version: '0' },
    ...options,
  })
  return { tracker, fake }
}

/** The unload copies in a storage, one list per page that left one. */
const copies = (storage: KeyValue) =>
  Object.keys(storage)
    .filter((key) => key.startsWith('spoor.unload."KEY"'))
    .map((key) => JSON.parse(storage.getItem(key)!) as QueuedEvent[])

/**
 * localStorage as one tab sees it: what was there when it opened, and its own writes at once, which reach the shared
 * storage too; another tab's later writes only once synced, which here they never are (Chromium passes them on
 * between processes asynchronously).
 */
function tabView(shared: ReturnType<typeof memoryKeyValue>): KeyValue {
  const view: Record<string, string> = Object.create({
    getItem(this: Record<string, string>, key: string) {
      return Object.hasOwn(this, key) ? this[key] : null
    },
    setItem(this: Record<string, string>, key: string, value: string) {
      this[key] = value
      shared.setItem(key, value)
    },
    removeItem(this: Record<string, string>, key: string) {
      delete this[key]
      shared.removeItem(key)
    },
  })
  for (const [key, value] of shared.map) view[key] = value
  return view as unknown as KeyValue
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
    // Until its flush of what waits they stay in localStorage, under the page's own key.
    expect(copies(storage).flat()).toHaveLength(3)
    await next.tracker.flush()
    expect(
      next.fake.sent
        .slice(1)
        .flatMap((s) => s.events)
        .map((e) => e.properties?.n),
    ).toEqual([1, 2, 3])
    expect(copies(storage)).toEqual([])
  })

  it('leaves a copy another tab wrote a moment ago, which this tab does not see yet, to a later page', async () => {
    const shared = memoryKeyValue()
    // Tab B is open; tab A goes while its store write is landing, and writes its copy.
    const tabB = page(createMemoryStore(), tabView(shared))
    const tabA = page(landingStore(), tabView(shared))
    for (const n of [1, 2, 3]) tabA.tracker.track('Clicked', { n })
    tabA.tracker.hide(true)
    // Tab B takes the copies before A's write has reached it: it must not remove what it has not read.
    await tabB.tracker.flush()
    expect(tabB.fake.sent.flatMap((s) => s.events)).toEqual([])
    expect(copies(shared).flat()).toHaveLength(3)
    const later = page(createMemoryStore(), tabView(shared))
    await later.tracker.flush()
    expect(later.fake.sent.flatMap((s) => s.events).map((e) => e.properties?.n)).toEqual([1, 2, 3])
  })

  it("never takes another site's copies, even one whose write key starts with this site's", async () => {
    const storage = memoryKeyValue()
    const other = page(landingStore(), storage, { writeKey: 'KEY.eu' }).tracker
    other.track('Clicked', { n: 1 })
    other.hide(true)
    const next = page(createMemoryStore(), storage)
    await next.tracker.flush()
    expect(next.fake.sent).toEqual([])
    expect(Object.keys(storage).filter((key) => key.startsWith('spoor.unload.'))).toHaveLength(1)
  })

  it("keeps each page's copy apart: two pages going at once both keep theirs", async () => {
    const shared = memoryKeyValue()
    const first = page(landingStore(), tabView(shared))
    const second = page(landingStore(), tabView(shared))
    first.tracker.track('Clicked', { n: 1 })
    second.tracker.track('Clicked', { n: 2 })
    first.tracker.hide(true)
    second.tracker.hide(true)
    const next = page(createMemoryStore(), tabView(shared))
    await next.tracker.flush()
    expect(next.fake.sent.flatMap((s) => s.events).map((e) => e.properties?.n)).toEqual([1, 2])
  })

  it('keeps nothing for events already in the store, and nothing without consent', async () => {
    const storage = memoryKeyValue()
    const stored = page(createMemoryStore(), storage)
    stored.tracker.track('Viewed')
    await new Promise((resolve) => setTimeout(resolve, 0))
    stored.tracker.hide(true)
    expect(Object.keys(storage).filter((key) => key.startsWith('spoor.unload.'))).toEqual([])

    const denied = page(landingStore(), storage, { consent: 'denied' }).tracker
    denied.track('Viewed')
    denied.hide(true)
    expect(Object.keys(storage).filter((key) => key.startsWith('spoor.unload.'))).toEqual([])
  })
})
