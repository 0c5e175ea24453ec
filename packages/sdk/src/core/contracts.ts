import type { Envelope } from '@spoor/protocol'

/**
 * An event waiting in the queue: the envelope plus what the queue needs to order, cap and expire it. It is stored
 * as is in IndexedDB, so its field names must never change (nor start with `_`, which the snippet build shortens).
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
 * IndexedDB (shared by every tab of the site), tests and memory-only mode with an array.
 */
export interface Store {
  /** Every stored event, of every tab. */
  _load(): Promise<QueuedEvent[]>
  _put(events: QueuedEvent[]): Promise<void>
  _remove(ids: string[]): Promise<void>
  _clear(): Promise<void>
}

/** What a send came back with: an HTTP status (0 when the network failed) and any `Retry-After`, in ms. */
export interface SendResult {
  _status: number
  _retryAfter?: number | undefined
}

/** How batches leave the page. */
export interface Transport {
  /** A request whose answer we wait for. */
  _send(body: string): Promise<SendResult>
  /** A fire-and-forget request that outlives the page; false when the browser would not take it. */
  _beacon(body: string): boolean
}

/** Runs `task` while no other tab of the site runs a task under the same lock. */
export type Lock = <T>(task: () => Promise<T>) => Promise<T>

/** Small synchronous key–value storage for identity (localStorage in browsers, a Map when storing nothing). */
export interface KeyValue {
  _get(key: string): string | null
  _set(key: string, value: string): void
  _remove(key: string): void
  /** Removes every key spoor wrote (consent revoked). */
  _clear(): void
}
