import type { Context } from '@spoor/protocol'
import { backoffDelay } from './backoff.js'
import { inSnippet } from './build-flags.js'
import { byteLength } from './byte-length.js'
import { sendTime } from './clock.js'
import type { Lock, QueuedEvent, SendResult, Transport } from './contracts.js'
import type { Queue } from './queue.js'
import { toJson } from './to-json.js'

/** When and how much to send. */
export interface SendOptions {
  /** Send once this many events wait (default 20). */
  flushAt?: number
  /** Otherwise send this long after the first waiting event, in ms (default 2,000). */
  flushInterval?: number
  /**
   * Most bytes per request (default 48,000). Kept under the 64 KiB that `keepalive` fetches and beacons of one
   * document may have in flight together, so a batch can always leave with the page.
   */
  batchBytes?: number
}

/** What the environment adds to every batch. */
export interface BatchOptions {
  /** Context shared by every event of a batch (the device's time zone), read as each batch is made. */
  batchContext?: () => Context
}

export interface Sender {
  /** Called after each new event: sends now when the batch is full, else arms the interval timer. */
  _schedule(): void
  /**
   * Sends everything waiting (of every tab), batch by batch, until done or a failure calls for a retry; `own`: only
   * this page's events.
   */
  _flush(own?: boolean): Promise<void>
  /**
   * Page is going away or hidden: hands this page's waiting events to beacons, as many as fit. `shown`: the page is
   * visible again, and may send what it beaconed.
   */
  _hide(shown?: boolean): void
}

/**
 * Batching, retries and the unload path. A send removes events from the queue only when the collector answered:
 * 2xx (its per-event verdicts included) or a final 4xx. 408, 429, 5xx and network failures keep them and
 * retry after `Retry-After` or a jittered backoff (1 s doubling to 60 s). Tabs never send at the same time: every
 * send runs under `lock`, and a send asked for while one runs follows it. A page never has one event in two
 * requests: a send skips what the page beaconed, a beacon what is in flight. A beacon gets no answer: beaconed
 * events stay queued and go again by fetch, from the next page or from this one once shown again; the collector
 * drops the repeat by messageId.
 */
export function createSender(
  queue: Queue,
  transport: Transport,
  lock: Lock,
  writeKey: string,
  options: SendOptions & BatchOptions = {},
): Sender {
  const flushAt = inSnippet ? 20 : (options.flushAt ?? 20)
  const flushInterval = inSnippet ? 2000 : (options.flushInterval ?? 2000)
  const batchBytes = inSnippet ? 48e3 : (options.batchBytes ?? 48e3)
  // The batch in flight by fetch, or whose fetch failed last (a beacon would send it twice), and the events this
  // page handed to a beacon while hidden (a fetch would: the page may be hidden while a send reads the queue).
  let flying: string[] = []
  const beaconed = new Set<string>()
  // One timer: the next send by interval, or the retry after a failure (a full batch does not cut a backoff short).
  let timer: ReturnType<typeof setTimeout> | undefined
  let attempt = 0
  // The last send, and the one asked for while it runs.
  let last: Promise<void> = Promise.resolve()
  let next: Promise<void> | undefined
  let first = true

  // Takes from the front of `events` (oldest first) the longest run within 100 events and `budget` bytes.
  const take = (events: QueuedEvent[], budget: number) => {
    let count = 0
    // Each event costs its size and a comma.
    // biome-ignore lint/suspicious/noAssignInExpressions: the subtraction inside the condition: 6 B over spoor.full.js
    while (count < events.length && count < 100 && (budget -= events[count]!.size + 1) >= 0) count++
    return events.splice(0, count)
  }

  const body = (batch: QueuedEvent[]) => {
    // One `sentAt` for the batch: the collector gives it to each event that has none (Segment's batch format).
    return toJson({
      batch: batch.map((e) => e.event),
      sentAt: new Date(sendTime()).toISOString(),
      writeKey,
      context: options.batchContext?.(),
    })
  }

  const send = async (own?: boolean) => {
    // This page's own events need not wait for the store: the page's first send does not open it.
    let events = own ? queue._own() : await queue._load()
    // biome-ignore lint/suspicious/noAssignInExpressions: assigned as tested (with `flying` below): 4 B over spoor.js
    while ((events = events.filter((e) => !beaconed.has(e.id))).length) {
      const batch = take(events, batchBytes)
      // biome-ignore lint/suspicious/noAssignInExpressions: assigned as tested (with `events` above): 4 B over spoor.js
      const ids = (flying = batch.map((e) => e.id))
      // A network failure is status 0: retried.
      const { httpStatus: status = 0, retryAfter } = await transport.send(body(batch)).catch(() => ({}) as SendResult)
      const final = status > 399 && status < 500 && status != 408 && status != 429
      // A failed batch stays in `flying`: the fetch the browser cancels as the page is left fails here, yet
      // keepalive may still deliver it, and a beacon must not send it too. It goes again from the store.
      if ((status < 200 || status > 299) && !final) {
        clearTimeout(timer)
        timer = setTimeout(sender._flush, retryAfter ?? backoffDelay(attempt++))
        return
      }
      if (final) queue._dropped += ids.length
      await queue._remove(ids)
    }
    attempt = 0
  }

  // Runs a send, unless the one before failed and armed its retry (an interval timer armed meanwhile does not count).
  const run = (own?: boolean) => {
    next = undefined
    if (timer && attempt) return
    last = lock(() => send(own))
    return last
  }

  const sender: Sender = {
    _schedule() {
      // The page's first event (its page view) leaves at once, with this page's own: what earlier pages left waits
      // for the start-up flush, after their beacons have had time to land.
      if (first) {
        first = false
        void sender._flush(true)
      } else if (!attempt && queue._own().length >= flushAt) void sender._flush()
      else timer ??= setTimeout(sender._flush, flushInterval)
    },
    _flush(own) {
      clearTimeout(timer)
      timer = undefined
      // The send under way read the queue before this was asked: another one follows it.
      // biome-ignore lint/suspicious/noAssignInExpressions: assigned as returned: 4 B over spoor.js, 2 B over spoor.full.js
      return (next ??= last.then(
        () => run(own),
        () => run(own),
      ))
    },
    _hide(shown) {
      if (shown) return beaconed.clear()
      const events = queue._own().filter((e) => !beaconed.has(e.id) && !flying.includes(e.id))
      let budget = 6e4
      for (;;) {
        const batch = take(events, Math.min(budget, batchBytes))
        if (!batch.length) break
        const payload = body(batch)
        if (!transport.beacon(payload)) break
        budget -= byteLength(payload)
        for (const event of batch) beaconed.add(event.id)
      }
    },
  }
  return sender
}
