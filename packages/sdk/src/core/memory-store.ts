import type { QueuedEvent, Store } from './contracts.js'

/** A {@link Store} in memory: the fallback when IndexedDB is missing or slow, and the cookieless mode's store. */
export function createMemoryStore(): Store {
  const events = new Map<string, QueuedEvent>()
  return {
    _load: async () => [...events.values()],
    _put: async (list) => {
      for (const event of list) events.set(event.id, event)
    },
    _remove: async (ids) => {
      for (const id of ids) events.delete(id)
    },
    _clear: async () => events.clear(),
  }
}
