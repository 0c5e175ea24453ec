import { createStore, promisifyRequest } from 'idb-keyval'
import type { QueuedEvent, Store } from '../core/contracts.js'
import { createMemoryStore } from '../core/memory-store.js'

/**
 * A {@link Store} in IndexedDB (one database per write key, shared by every tab of the site), falling back to
 * memory when IndexedDB is missing, throws (private modes of older Safari and Firefox), or has not opened
 * within `timeout` ms (a first open can hang: idb-keyval#120). Each call is one transaction, so a tick's worth
 * of events is one write.
 */
export function createIdbStore(name: string, timeout = 1000): Store {
  const ready = new Promise<Store>((resolve) => {
    const fallback = () => resolve(createMemoryStore())
    const timer = setTimeout(fallback, timeout)
    try {
      const db = createStore(name, 'queue')
      const write = (change: (store: IDBObjectStore) => void) =>
        db('readwrite', (store) => {
          change(store)
          return promisifyRequest(store.transaction)
        })
      const store: Store = {
        _load: () => db('readonly', (s) => promisifyRequest(s.getAll() as IDBRequest<QueuedEvent[]>)),
        _put: (events) => write((s) => events.forEach((e) => s.put(e, e.id))),
        _remove: (ids) => write((s) => ids.forEach((id) => s.delete(id))),
        _clear: () => write((s) => s.clear()),
      }
      // A read proves the database usable; whichever of it and the timer comes first decides.
      store._load().then(() => {
        clearTimeout(timer)
        resolve(store)
      }, fallback)
    } catch {
      fallback()
    }
  })
  return {
    _load: () => ready.then((s) => s._load()),
    _put: (events) => ready.then((s) => s._put(events)),
    _remove: (ids) => ready.then((s) => s._remove(ids)),
    _clear: () => ready.then((s) => s._clear()),
  }
}
