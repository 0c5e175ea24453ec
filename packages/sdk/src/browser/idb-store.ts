import { createStore, promisifyRequest } from 'idb-keyval'
import type { QueuedEvent, Store } from '../core/contracts.js'
import { createMemoryStore } from '../core/memory-store.js'

/** One transaction on object store `store` of database `name`, through idb-keyval (which opens it on first use). */
export function idbStore(name: string, store: string) {
  const db = createStore(name, store)
  return <T>(mode: IDBTransactionMode, task: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T> =>
    db(mode, (s) => promisifyRequest(task(s) ?? (s.transaction as unknown as IDBRequest<T>)))
}

/**
 * A {@link Store} in IndexedDB: database `name` (one per write key, created on the first event), object store
 * `queue`, shared by every tab of the site; one call is one transaction, so a tick's events are one write. It
 * keeps what it is given even where IndexedDB cannot: missing or throwing (private modes of older Safari and
 * Firefox), not open within `timeout` ms (a first open can hang: idb-keyval#120), or failing a write (quota). From
 * the first such failure on, the page's queue lives in memory; events already stored wait for a later page.
 * `memoryOnly` (cookieless mode) never opens a database at all.
 *
 * @param timeout ms the first use may take (default 1,000)
 */
export function createIdbStore(name: string, memoryOnly?: boolean, timeout = 1000): Store {
  const memory = createMemoryStore()
  const idb = idbStore(name, 'queue')
  const indexed: Store = {
    _load: () => idb('readonly', (s) => s.getAll() as IDBRequest<QueuedEvent[]>),
    _put: (events) => idb('readwrite', (s) => events.forEach((e) => s.put(e, e.id))),
    _remove: (ids) => idb('readwrite', (s) => ids.forEach((id) => s.delete(id))),
    _clear: () => idb('readwrite', (s) => void s.clear()),
  }
  let ready: Promise<Store> | undefined = memoryOnly ? Promise.resolve(memory) : undefined
  // The first use races the timer; any failure, then or later, moves the queue to memory for good.
  const use = <T>(task: (store: Store) => Promise<T>) =>
    (ready ??= Promise.race([
      indexed._load().then(() => indexed),
      new Promise<Store>((resolve) => setTimeout(resolve, timeout, memory)),
    ]))
      .then(task)
      .catch(() => task(((ready = Promise.resolve(memory)), memory)))
  return {
    _load: () => use((s) => s._load()),
    _put: (events) => use((s) => s._put(events)),
    _remove: (ids) => use((s) => s._remove(ids)),
    _clear: () => use((s) => s._clear()),
  }
}
