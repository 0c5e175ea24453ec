import { afterEach, describe, expect, it, vi } from 'vitest'
import { createIdbStore } from '../src/browser/idb-store.js'
import type { QueuedEvent } from '../src/core/contracts.js'
import { createQueue } from '../src/core/queue.js'
import { event } from './fakes.js'

const queued = (n: number): QueuedEvent => ({
  id: `m${n}`,
  event: { type: 'track', event: `E${n}`, anonymousId: 'a' },
  size: 10,
  at: n,
})

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

describe('the IndexedDB store', () => {
  it('keeps events in IndexedDB, where a later page finds them', async () => {
    await createIdbStore('spoor:idb-1').write([queued(1), queued(2)], [])
    expect((await createIdbStore('spoor:idb-1').load()).map((e) => e.id).sort()).toEqual(['m1', 'm2'])
  })

  it('fails when a write fails (quota); the queue then keeps its events in memory', async () => {
    const queue = createQueue(createIdbStore('spoor:idb-2'))
    queue._add(event(1))
    await queue._write()
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError')
    })
    queue._add(event(2))
    expect((await queue._load()).map((e) => e.id)).toEqual(['m1', 'm2'])
    vi.restoreAllMocks()
    // What was stored before the failure waits in IndexedDB for a later page.
    expect((await createIdbStore('spoor:idb-2').load()).map((e) => e.id)).toEqual(['m1'])
  })

  it('fails when IndexedDB does not open within the time box; the queue then keeps its events in memory', async () => {
    vi.spyOn(indexedDB, 'open').mockImplementation(() => ({}) as IDBOpenDBRequest)
    vi.useFakeTimers()
    const store = createIdbStore('spoor:idb-3', 1000)
    const queue = createQueue(store)
    queue._add(event(1))
    const loaded = queue._load()
    await vi.advanceTimersByTimeAsync(1000)
    expect((await loaded).map((e) => e.id)).toEqual(['m1'])
    await expect(store.load()).rejects.toBeUndefined()
  })
})

describe('the queue without a store (cookieless mode)', () => {
  it('keeps its events in memory and never opens a database', async () => {
    const open = vi.spyOn(indexedDB, 'open')
    const queue = createQueue(undefined)
    queue._add(event(1))
    expect((await queue._load()).map((e) => e.id)).toEqual(['m1'])
    await queue._remove(['m1'])
    expect(await queue._load()).toEqual([])
    expect(open).not.toHaveBeenCalled()
  })
})
