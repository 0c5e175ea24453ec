import type { QueuedEvent, Store } from './contracts.js'

/** A {@link Store} in memory: for tests, and for environments without IndexedDB. */
export function createMemoryStore(): Store {
  const events = new Map<string, QueuedEvent>()
  return {
    load: async () => [...events.values()],
    async write(put, remove) {
      for (const event of put) events.set(event.id, event)
      for (const id of remove) events.delete(id)
    },
  }
}
