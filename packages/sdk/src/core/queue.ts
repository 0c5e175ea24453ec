import type { Envelope } from '@spoor/protocol'
import { byteLength } from './byte-length.js'
import type { QueuedEvent, Store } from './contracts.js'

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
  _add(event: Envelope): QueuedEvent
  /** Everything waiting, of every tab, oldest first, after dropping what is expired or over the caps. */
  _load(): Promise<QueuedEvent[]>
  /** The events this page queued that have not been acknowledged yet, oldest first (synchronous, for unload). */
  _own(): QueuedEvent[]
  /** Forgets events for good: acknowledged by the collector, or refused by it. */
  _remove(ids: string[]): Promise<void>
  /** Starts the pending store write now and resolves when it has landed. */
  _write(): Promise<void>
  /** Drops everything, in memory and in the store (consent revoked). */
  _clear(): Promise<void>
  /** Events dropped so far: expired, over the caps, or refused by the collector. */
  _dropped: number
}

const byAge = (a: QueuedEvent, b: QueuedEvent) => a.at - b.at

/**
 * The durable queue. An event is in memory the moment it is tracked and in the store a tick later, and leaves
 * both only through {@link Queue._remove}, once the collector has answered for it. Store failures are swallowed:
 * this page still holds its own events in memory and sends them from there.
 */
export function createQueue(store: Store, limits: QueueLimits = {}, now = Date.now): Queue {
  const maxEvents = limits.maxEvents ?? 1000
  const maxBytes = limits.maxBytes ?? 2_000_000
  const ttl = limits.ttl ?? 7 * 24 * 3600_000
  const own = new Map<string, QueuedEvent>()
  // Own events known to be in the store: once gone from it, another tab has delivered them.
  const stored = new Set<string>()
  let unwritten: QueuedEvent[] = []
  let writes = Promise.resolve()

  // Events of one tick share one store write: the first write of the chain takes them all, later ones find none.
  const write = () =>
    (writes = writes.then(() => {
      const batch = unwritten.splice(0)
      if (batch.length) return store._put(batch).then(() => batch.forEach((e) => stored.add(e.id)), () => {})
    }))

  // Oldest first; whatever is expired or beyond the caps is dropped and counted.
  const trim = (events: QueuedEvent[]) => {
    events.sort(byAge)
    let bytes = 0
    let cut = 0
    for (let i = events.length - 1; i >= 0; i--) {
      const event = events[i]!
      bytes += event.size
      if (events.length - i > maxEvents || bytes > maxBytes || now() - event.at > ttl) {
        cut = i + 1
        break
      }
    }
    return cut
  }

  const queue: Queue = {
    _dropped: 0,
    _add(event) {
      const queued = { id: event.messageId!, event: event, size: byteLength(JSON.stringify(event)), at: now() }
      own.set(queued.id, queued)
      unwritten.push(queued)
      void write()
      return queued
    },
    async _load() {
      await write()
      const merged = new Map<string, QueuedEvent>()
      for (const event of await store._load().catch(() => [])) merged.set(event.id, event)
      for (const event of own.values()) {
        // A failed store write leaves this page's events only in memory: they are sent all the same.
        if (!stored.has(event.id)) merged.set(event.id, event)
        else if (!merged.has(event.id)) own.delete(event.id), stored.delete(event.id)
      }
      const events = [...merged.values()]
      const cut = trim(events)
      if (cut) {
        queue._dropped += cut
        await queue._remove(events.splice(0, cut).map((e) => e.id))
      }
      return events
    },
    _own: () => [...own.values()],
    async _remove(ids) {
      for (const id of ids) own.delete(id), stored.delete(id)
      await store._remove(ids).catch(() => {})
    },
    _write: write,
    async _clear() {
      own.clear()
      stored.clear()
      unwritten = []
      await writes
      await store._clear().catch(() => {})
    },
  }
  return queue
}
