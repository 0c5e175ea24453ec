import { promisifyRequest } from 'idb-keyval'
import type { QueuedEvent, Store } from '../core/contracts.js'

/**
 * A {@link Store} in IndexedDB: database `name` (one per write key), object store `queue`, shared by every tab of
 * the site; one call is one transaction, so a tick's events (and acknowledgements) are one write.
 *
 * The database is opened on first use (so on the first event), and again after the browser closed the connection,
 * as Safari sometimes does. The first use is time-boxed: a first open can hang (idb-keyval#120). Past `timeout` ms
 * it rejects, as does every later use, like any other failure of the open (IndexedDB missing or throwing in the
 * private modes of older Safari and Firefox); a failed transaction (quota) rejects too: the queue then keeps this
 * page's events in memory.
 *
 * Each transaction is committed as soon as its requests are made. Left to commit by itself, it waits for the
 * page's task to end and for its requests' answers to come back: a tab closed in those milliseconds lost the
 * write, and with it the events tracked just before, when their beacon was lost too.
 *
 * @param timeout ms the first use may take (default 1,000)
 */
export function createIdbStore(name: string, timeout = 1000): Store {
  let db: Promise<IDBDatabase> | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: a task returns its request or nothing (a void callback); a type, no bytes
  const use = <T>(mode: IDBTransactionMode, task: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T> =>
    // biome-ignore lint/suspicious/noAssignInExpressions: opened on first use, inside the expression: 2 B over spoor.js, 1 B over spoor.full.js
    (db ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(name)
      request.onupgradeneeded = () => request.result.createObjectStore('queue')
      promisifyRequest(request).then((database) => {
        database.onclose = () => (db = undefined)
        resolve(database)
      }, reject)
      setTimeout(reject, timeout)
    })).then((database) => {
      const objects = database.transaction('queue', mode).objectStore('queue')
      const done = promisifyRequest(task(objects) ?? (objects.transaction as unknown as IDBRequest<T>))
      objects.transaction.commit?.()
      return done
    })
  return {
    load: () => use('readonly', (s) => s.getAll() as IDBRequest<QueuedEvent[]>),
    write: (put, remove) =>
      use('readwrite', (s) => {
        for (const event of put) s.put(event, event.id)
        for (const id of remove) s.delete(id)
      }),
  }
}
