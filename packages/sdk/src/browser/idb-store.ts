import type { QueuedEvent, Store } from '../core/contracts.js'
import { createIdb } from './idb.js'

/**
 * A {@link Store} in IndexedDB: database `name` (one per write key), object store `queue`, shared by every tab of
 * the site. Each call is one transaction, so a tick's worth of events is one write. Where IndexedDB fails, calls
 * reject and the queue works from the events it holds in memory; `off` (cookieless mode) never opens a database
 * at all, so the queue lives in memory alone.
 */
export function createIdbStore(name: string, off?: boolean): Store {
  const run = off ? () => Promise.reject() : createIdb(name, 'queue')
  return {
    _load: () => run('readonly', (s) => s.getAll() as IDBRequest<QueuedEvent[]>),
    _put: (events) => run('readwrite', (s) => events.forEach((e) => s.put(e, e.id))),
    _remove: (ids) => run('readwrite', (s) => ids.forEach((id) => s.delete(id))),
    _clear: () => run('readwrite', (s) => void s.clear()),
  }
}
