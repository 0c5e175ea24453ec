import type { Envelope } from '@spoor/protocol'
import { inSnippet } from './build-flags.js'
import { byteLength } from './byte-length.js'
import type { QueuedEvent, Store } from './contracts.js'
import { toJson } from './to-json.js'

/** Caps of the queue: past them the oldest events are dropped, and counted. */
export interface QueueLimits {
  /** Most events kept (default 1,000). */
  maxEvents?: number
  /** Most bytes kept (default 2 MB). */
  maxBytes?: number
  /** How long an event may wait, in ms (default 7 days, Safari's limit for script-written storage). */
  ttl?: number
}

export interface Queue {
  /**
   * Queues an event: in memory at once, in the store with the other events of this tick in one write. The caps
   * are applied by {@link Queue._load}, before each send.
   */
  _add(event: Envelope): void
  /** Everything waiting, of every tab, oldest first, after dropping what is expired or over the caps. */
  _load(): Promise<QueuedEvent[]>
  /** The events this page queued that have not been acknowledged yet, oldest first (synchronous, for unload). */
  _own(): QueuedEvent[]
  /** Those of {@link Queue._own} whose store write has not landed yet (all of them without a store). */
  _unstored(): QueuedEvent[]
  /** Takes back events an earlier page could not store before it went (see the tracker's unload copy). */
  _restore(events: QueuedEvent[]): void
  /** Forgets events for good: acknowledged by the collector, or refused by it. */
  _remove(ids: string[]): Promise<void>
  /** Resolves once what was queued so far has landed in the store (or the store failed). */
  _write(): Promise<void>
  /** Drops everything, in memory and in the store (consent revoked). */
  _clear(): Promise<void>
  /** Events dropped so far: expired, over the caps, or refused by the collector. */
  _dropped: number
}

/**
 * The durable queue. An event is in memory the moment it is tracked and in the store a tick later, and leaves
 * both only through {@link Queue._remove}, once the collector has answered for it. Loading the store is the truth
 * for every tab; this page's own copies serve the unload path. Without a store (cookieless mode), or from the first
 * failure of the store on (IndexedDB missing, not open in time, over quota), this page's own copies are the whole
 * queue; what an earlier page stored waits for a later one.
 */
export function createQueue(store: Store | undefined, limits: QueueLimits = {}, now = Date.now): Queue {
  const maxEvents = inSnippet ? 1000 : (limits.maxEvents ?? 1000)
  const maxBytes = inSnippet ? 2e6 : (limits.maxBytes ?? 2e6)
  const ttl = inSnippet ? 6048e5 : (limits.ttl ?? 6048e5)
  const own = new Map<string, QueuedEvent>()
  let puts: QueuedEvent[] = []
  const removes: string[] = []
  const stored = new Set<string>()
  let writes = Promise.resolve()
  const fail = () => {
    store = undefined
  }

  // What one tick adds and removes shares one store write: the first write of the chain takes it all, later ones
  // find nothing to do (and so never open a database for nothing).
  const write = () =>
    (writes = writes
      .then(() => {
        const put = puts.splice(0)
        const remove = removes.splice(0)
        if (put.length + remove.length)
          return store?.write(put, remove).then(() => {
            for (const e of put) stored.add(e.id)
          })
      })
      .catch(fail))

  const queue: Queue = {
    _dropped: 0,
    _add(event) {
      queue._restore([{ id: event.messageId!, event, size: byteLength(toJson(event)), at: now() }])
    },
    _restore(events) {
      for (const queued of events) {
        own.set(queued.id, queued)
        puts.push(queued)
      }
      void write()
    },
    async _load() {
      await write()
      const known = [...own.keys()]
      const stored = await store?.load().catch(fail)
      // One of this page's events that is written and gone from the store was delivered by another tab.
      if (stored) for (const id of known) stored.some((e) => e.id === id) || own.delete(id)
      const events = (stored ?? [...own.values()]).sort((a, b) => a.at - b.at)
      // From the newest back, keep while within the caps; everything older than the first that breaks one goes.
      let i = events.length
      let bytes = 0
      while (
        i-- &&
        events.length - i <= maxEvents &&
        // biome-ignore lint/suspicious/noAssignInExpressions: the sum inside the condition: 4 B over spoor.js, 2 B over spoor.full.js
        (bytes += events[i]!.size) <= maxBytes &&
        now() - events[i]!.at <= ttl
      );
      const dropped = events.splice(0, i + 1)
      if (dropped.length) {
        queue._dropped += dropped.length
        await queue._remove(dropped.map((e) => e.id))
      }
      return events
    },
    _own: () => [...own.values()],
    _unstored: () => queue._own().filter((e) => !store || !stored.has(e.id)),
    _remove(ids) {
      for (const id of ids) {
        own.delete(id)
        stored.delete(id)
      }
      removes.push(...ids)
      return write()
    },
    _write: write,
    async _clear() {
      own.clear()
      puts = []
      // What is left is other tabs' events, in the store.
      await queue._remove((await queue._load()).map((e) => e.id))
    },
  }
  return queue
}
