import type { QueuedEvent, Store } from '../core/contracts.js'
import { createIdb } from './idb.js'

/**
 * A {@link Store} in IndexedDB: database `name` (one per write key), object store `queue`, shared by every tab of
 * the site. Each call is one transaction, so a tick's worth of events is one write. Where IndexedDB fails, calls
 * reject and the queue works from the events it holds in memory.
 *
 * @param timeout ms to wait for the database to open (default 1,000)
 */
export function createIdbStore(name: string, timeout?: number): Store {
  const run = createIdb(name, 'queue', timeout)
  return {
    _load: () => run('readonly', (s) => s.getAll() as IDBRequest<QueuedEvent[]>),
    _put: (events) => run('readwrite', (s) => events.forEach((e) => s.put(e, e.id))),
    _remove: (ids) => run('readwrite', (s) => ids.forEach((id) => s.delete(id))),
    _clear: () => run('readwrite', (s) => void s.clear()),
  }
}
