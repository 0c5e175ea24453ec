import { afterEach, describe, expect, it, vi } from 'vitest'
import { createIdbStore } from '../src/browser/idb-store.js'
import type { QueuedEvent } from '../src/core/contracts.js'

const queued = (n: number): QueuedEvent => ({ id: `m${n}`, event: { type: 'track', event: `E${n}`, anonymousId: 'a' }, size: 10, at: n })

afterEach(() => vi.restoreAllMocks())

describe('the IndexedDB store', () => {
  it('keeps events in IndexedDB, where a later page finds them', async () => {
    await createIdbStore('spoor:idb-1')._put([queued(1), queued(2)])
    expect((await createIdbStore('spoor:idb-1')._load()).map((e) => e.id).sort()).toEqual(['m1', 'm2'])
  })

  it('moves the queue to memory when a write fails (quota), keeping the batch it was given', async () => {
    const store = createIdbStore('spoor:idb-2')
    await store._put([queued(1)])
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError')
    })
    await store._put([queued(2)])
    expect((await store._load()).map((e) => e.id)).toEqual(['m2'])
  })

  it('falls back to memory when IndexedDB does not open within the time box', async () => {
    vi.spyOn(indexedDB, 'open').mockImplementation(() => ({}) as IDBOpenDBRequest)
    vi.useFakeTimers()
    const store = createIdbStore('spoor:idb-3', false, 1000)
    const put = store._put([queued(1)])
    await vi.advanceTimersByTimeAsync(1000)
    await put
    expect((await store._load()).map((e) => e.id)).toEqual(['m1'])
    vi.useRealTimers()
  })

  it('never opens a database in cookieless mode', async () => {
    const open = vi.spyOn(indexedDB, 'open')
    const store = createIdbStore('spoor:idb-4', true)
    await store._put([queued(1)])
    expect((await store._load()).map((e) => e.id)).toEqual(['m1'])
    expect(open).not.toHaveBeenCalled()
  })
})
