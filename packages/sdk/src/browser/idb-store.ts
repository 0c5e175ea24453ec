import { createStore, promisifyRequest } from 'idb-keyval'
import type { QueuedEvent, Store } from '../core/contracts.js'

/** One transaction on object store `store` of database `name`, through idb-keyval (which opens it on first use). */
export function idbStore(name: string, store: string) {
  const db = createStore(name, store)
  return <T>(mode: IDBTransactionMode, task: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T> =>
    db(mode, (s) => promisifyRequest(task(s) ?? (s.transaction as unknown as IDBRequest<T>)))
}

/**
 * A {@link Store} in IndexedDB: database `name` (one per write key, opened on first use, so on the first event),
 * object store `queue`, shared by every tab of the site; one call is one transaction, so a tick's events (and
 * acknowledgements) are one write. The first use is time-boxed: a first open can hang (idb-keyval#120). Every failure (IndexedDB missing or
 * throwing in the private modes of older Safari and Firefox, not open within `timeout` ms, quota) rejects, and the
 * queue keeps this page's events in memory from then on.
 *
 * @param timeout ms the first use may take (default 1,000)
 */
export function createIdbStore(name: string, timeout = 1000): Store {
  const idb = idbStore(name, 'queue')
  let opened: Promise<unknown> | undefined
  const use = <T>(mode: IDBTransactionMode, task: (s: IDBObjectStore) => IDBRequest<T> | void) =>
    (opened ??= Promise.race([idb('readonly', () => {}), new Promise((_, reject) => setTimeout(reject, timeout))])).then(() => idb(mode, task))
  return {
    _load: () => use('readonly', (s) => s.getAll() as IDBRequest<QueuedEvent[]>),
    _write: (put, remove) =>
      use('readwrite', (s) => {
        for (const event of put) s.put(event, event.id)
        for (const id of remove) s.delete(id)
      }),
  }
}
