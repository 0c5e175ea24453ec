import { createStore, promisifyRequest } from 'idb-keyval'
import type { QueuedEvent, Store } from '../core/contracts.js'

/**
 * One transaction on object store `store` of database `name`, through idb-keyval (which opens the database on first
 * use). The first use is time-boxed: a first open can hang (idb-keyval#120). Past `timeout` ms it rejects, as does
 * every later use, like any other failure (IndexedDB missing or throwing in the private modes of older Safari and
 * Firefox, quota): the caller keeps what it has in memory.
 *
 * @param timeout ms the first use may take (default 1,000)
 */
export function idbStore(name: string, store: string, timeout = 1000) {
  const db = createStore(name, store)
  let opened: Promise<unknown> | undefined
  return <T>(mode: IDBTransactionMode, task: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T> =>
    // The database is open once a transaction could be made in it.
    (opened ??= Promise.race([db('readonly', () => {}), new Promise((_, reject) => setTimeout(reject, timeout))])).then(() =>
      db(mode, (s) => promisifyRequest(task(s) ?? (s.transaction as unknown as IDBRequest<T>))),
    )
}

/**
 * A {@link Store} in IndexedDB: database `name` (one per write key, opened on first use, so on the first event),
 * object store `queue`, shared by every tab of the site; one call is one transaction, so a tick's events (and
 * acknowledgements) are one write. Every failure, a first open past `timeout` ms included, rejects: the queue then
 * keeps this page's events in memory.
 *
 * @param timeout ms the first use may take (default 1,000)
 */
export function createIdbStore(name: string, timeout?: number): Store {
  const use = idbStore(name, 'queue', timeout)
  return {
    _load: () => use('readonly', (s) => s.getAll() as IDBRequest<QueuedEvent[]>),
    _write: (put, remove) =>
      use('readwrite', (s) => {
        for (const event of put) s.put(event, event.id)
        for (const id of remove) s.delete(id)
      }),
  }
}
