import type { Envelope } from '@spoor/protocol'

/**
 * An event waiting in the queue: the envelope plus what the queue needs to order, cap and expire it. It is stored
 * as is in IndexedDB, so its field names must never change (nor start with `_`, nor be one of the contract
 * names the snippet build shortens).
 */
export interface QueuedEvent {
  /** The event's messageId: the store key, unchanged across retries. */
  id: string
  event: Envelope
  /** Serialized size in bytes (UTF-8). */
  size: number
  /** When it was queued, in ms since the epoch. */
  at: number
}

/**
 * Where queued events live until the collector acknowledges them. The browser layer implements it over
 * IndexedDB (shared by every tab of the site), tests in memory. A store may fail (a rejected promise): the queue
 * then keeps this page's events in memory.
 */
export interface Store {
  /** Every stored event, of every tab. */
  load(): Promise<QueuedEvent[]>
  /** Stores `put` and forgets the events of `remove`, in one write. */
  write(put: QueuedEvent[], remove: string[]): Promise<void>
}

/** What a send came back with: an HTTP status (0 when the network failed) and any `Retry-After`, in ms. */
export interface SendResult {
  httpStatus: number
  retryAfter?: number | undefined
}

/** How batches leave the page. */
export interface Transport {
  /** A request whose answer we wait for. */
  send(body: string): Promise<SendResult>
  /** A fire-and-forget request that outlives the page; false when the browser would not take it. */
  beacon(body: string): boolean
}

/** Runs `task` while no other tab of the site runs a task under the same lock. */
export type Lock = <T>(task: () => Promise<T>) => Promise<T>

/**
 * Small synchronous key–value storage on the device, for identity, sessions and the prompt's state: the part of the
 * Web Storage API that spoor uses (`localStorage` in browsers). Every key spoor writes starts with `spoor.`, and
 * `Object.keys` lists the stored keys, as it does for Web Storage.
 */
export interface KeyValue {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}
