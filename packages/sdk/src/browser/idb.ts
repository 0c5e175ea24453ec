/** One transaction on an object store; resolves with what `task`'s request gave. */
export type Idb = <T>(mode: IDBTransactionMode, task: (store: IDBObjectStore) => IDBRequest<T> | void) => Promise<T>

/**
 * Transactions on the object store `store` of database `name`. The database is opened on first use, so nothing is
 * created on the device before there is something to keep, and reopened if the browser closed it (Safari does
 * under storage pressure). Every transaction rejects when IndexedDB is missing, throws (private modes of older
 * Safari and Firefox) or has not opened within `timeout` ms (a first open can hang: idb-keyval#120); the first of
 * the open and the timer decides, for the rest of the page's life. Callers keep what matters in memory.
 *
 * @param timeout ms to wait for the first open (default 1,000)
 */
export function createIdb(name: string, store: string, timeout = 1000): Idb {
  let db: Promise<IDBDatabase | void> | undefined
  return (mode, task) =>
    (db ??= new Promise<IDBDatabase | void>((resolve) => {
      setTimeout(resolve, timeout)
      const open = indexedDB.open(name)
      open.onupgradeneeded = () => open.result.createObjectStore(store)
      open.onsuccess = () => resolve((open.result.onclose = () => (db = undefined), open.result))
      open.onerror = () => resolve()
    }).catch(() => {})).then(
      (database) =>
        new Promise((resolve, reject) => {
          // No database: `transaction` of undefined throws, and the promise rejects.
          const transaction = database!.transaction(store, mode)
          const request = task(transaction.objectStore(store))
          transaction.oncomplete = () => resolve(request?.result as never)
          transaction.onerror = transaction.onabort = () => reject(transaction.error)
        }),
    )
}
