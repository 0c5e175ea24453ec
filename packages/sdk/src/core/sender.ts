import { backoffDelay } from './backoff.js'
import { byteLength } from './byte-length.js'
import type { Lock, QueuedEvent, Transport } from './contracts.js'
import type { Queue } from './queue.js'
import { takeBatch } from './take-batch.js'

/** When and how much to send. */
export interface SendOptions {
  /** Send once this many events wait (default 20). */
  flushAt?: number
  /** Otherwise send this long after the first waiting event, in ms (default 2,000). */
  flushInterval?: number
  /** Most events per request (default 100). */
  batchEvents?: number
  /**
   * Most bytes per request (default 48,000). Kept under the 64 KiB that `keepalive` fetches and beacons of one
   * document may have in flight together, so a batch can always leave with the page.
   */
  batchBytes?: number
  /** First retry delay ceiling in ms, doubled per failure, with full jitter (default 1,000). */
  retryBase?: number
  /** Highest retry delay ceiling in ms (default 60,000). */
  retryCap?: number
}

export interface Sender {
  /** Called after each new event: sends now when the batch is full, else arms the interval timer. */
  _schedule(): void
  /** Sends everything waiting (of every tab), batch by batch, until done or a failure calls for a retry. */
  _flush(): Promise<void>
  /** Page is going away or hidden: hands this page's waiting events to beacons, as many as fit. */
  _hide(): void
}

// The part of the shared 64 KiB keepalive budget that one page hide may spend on beacons.
const beaconBudget = 60_000

/**
 * Batching, retries and the unload path. A send removes events from the queue only when the collector answered:
 * 2xx (its per-event verdicts included) or a final 4xx. 408, 429, 5xx and network failures keep them and
 * retry after `Retry-After` or a jittered backoff. Tabs never send at the same time: every send runs under `lock`.
 */
export function createSender(queue: Queue, transport: Transport, lock: Lock, writeKey: string, options: SendOptions = {}): Sender {
  const flushAt = options.flushAt ?? 20
  const interval = options.flushInterval ?? 2000
  const batchEvents = options.batchEvents ?? 100
  const batchBytes = options.batchBytes ?? 48_000
  const inflight = new Set<string>()
  // Events already handed to a beacon by this page: a second hide signal (pagehide after visibilitychange)
  // sends only what was tracked in between.
  const beaconed = new Set<string>()
  let timer: ReturnType<typeof setTimeout> | undefined
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let attempt = 0
  let flushing: Promise<void> | undefined

  const body = (batch: QueuedEvent[]) => {
    const sentAt = new Date().toISOString()
    return JSON.stringify({ batch: batch.map((e) => ({ ...e.event, sentAt })), sentAt, writeKey })
  }

  const retry = (after: number | undefined) => {
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      void sender._flush()
    }, after ?? backoffDelay(attempt++, options.retryBase, options.retryCap))
  }

  const send = async () => {
    let events = await queue._load()
    while (events.length) {
      const batch = takeBatch(events, batchEvents, batchBytes)
      const ids = batch.map((e) => e.id)
      for (const id of ids) inflight.add(id)
      const result = await transport._send(body(batch)).catch(() => ({ _status: 0, _retryAfter: undefined }))
      for (const id of ids) inflight.delete(id)
      const status = result._status
      const final = status >= 400 && status < 500 && status !== 408 && status !== 429
      if (status < 200 || (status >= 300 && !final)) return retry(result._retryAfter)
      // 2xx, or refused for good (unknown key, malformed): retrying cannot help either way.
      if (final) queue._dropped += ids.length
      for (const id of ids) beaconed.delete(id)
      await queue._remove(ids)
      events = events.slice(batch.length)
    }
    attempt = 0
  }

  const sender: Sender = {
    _schedule() {
      if (retryTimer) return
      if (queue._own().length >= flushAt) void sender._flush()
      else timer ??= setTimeout(() => void sender._flush(), interval)
    },
    _flush() {
      clearTimeout(timer)
      timer = undefined
      return (flushing ??= lock(send).finally(() => (flushing = undefined)))
    },
    _hide() {
      let events = queue._own().filter((e) => !inflight.has(e.id) && !beaconed.has(e.id))
      let budget = beaconBudget
      while (events.length) {
        const batch = takeBatch(events, batchEvents, Math.min(budget, batchBytes))
        if (!batch.length) break
        const payload = body(batch)
        // Beacons get no answer: the events stay queued and go again by fetch later; the collector drops repeats.
        if (!transport._beacon(payload)) break
        budget -= byteLength(payload)
        for (const event of batch) beaconed.add(event.id)
        events = events.slice(batch.length)
      }
      void queue._write()
    },
  }
  return sender
}
