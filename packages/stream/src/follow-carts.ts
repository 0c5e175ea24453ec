import { type ConsumerMessages, DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream'
import type { EventLine } from '@spoor/protocol'
import { publishAcked } from './publish-acked.js'
import { eventSubject, messageKey, partitionFilter, streamName } from './subjects.js'

/** The part of the collector's cart detector a worker drives. */
export interface CartDecider {
  observe(line: EventLine): void
  due(now: Date): EventLine[]
}

/** Options of {@link followCarts}. */
export interface FollowCartsOptions {
  js: JetStreamClient
  detector: CartDecider
  /** The partitions this worker owns (see `workerPartitions`). */
  partitions: number[]
  /** How far back the state is rebuilt from, in ms: the detector's window + recovery horizon + an hour. */
  historyMs: number
  /** How often due carts are checked, in ms (default 1 s). */
  tickMs?: number
  /** How long a decision's publish may wait for its PubAck, in ms (default 5 s). */
  publishTimeoutMs?: number
  now?: () => Date
  onDecided?(lines: EventLine[]): void
  /** A failure to publish decisions (tried again) or to follow a partition. */
  onError?(error: unknown): void
  /** A message the detector could not take (not an event line: any client of the servers can publish); skipped. */
  onSkipped?(error: unknown, subject: string): void
}

/** A running cart worker. */
export interface CartFollower {
  /** Resolves once every partition has been read up to where it stood at start: decisions begin then. */
  readonly caughtUp: Promise<void>
  stop(): Promise<void>
}

/**
 * Runs the abandoned-cart detector as a stream consumer over its partitions: one ordered consumer per partition,
 * starting `historyMs` before the stream's newest message (or now, if earlier), so a restarted worker rebuilds its
 * state from the stream (the stream's max age must cover it). Nothing is decided before every partition is caught
 * up, or a cart whose later activity was still unread could be abandoned. Decisions are published into the visitor's partition with the detector's
 * deterministic messageId as `Nats-Msg-Id`: a decision made twice (two workers, a restart) is stored once within
 * the duplicate window, and a restarted worker reads its earlier decisions back and does not make them again.
 */
export async function followCarts(options: FollowCartsOptions): Promise<CartFollower> {
  const now = options.now ?? (() => new Date())
  // The history is measured back from the stream's newest message, when that is earlier than now: the stream stamps
  // messages by its servers' clocks, not this machine's, and a worker started after the stream was idle for hours
  // still rebuilds the carts left open before then (as the collector's replay of its files does).
  const newest = await newestMessageAt(options.js)
  const start = new Date(
    Math.min(now().getTime(), newest ?? Number.POSITIVE_INFINITY) - options.historyMs,
  ).toISOString()
  const lagging = new Set(options.partitions)
  let markCaughtUp!: () => void
  const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve))
  const settle = (partition: number) => {
    lagging.delete(partition)
    if (lagging.size === 0) markCaughtUp()
  }
  if (lagging.size === 0) markCaughtUp()

  /** Per partition: its messages, the last stream sequence read, and when the client last reset it. */
  const followed = new Map<number, { messages: ConsumerMessages; lastSeq: number; lastAt: number; troubleAt: number }>()
  let stopped = false

  const follow = async (partition: number, afterSeq: number) => {
    const consumer = await options.js.consumers.get(streamName, {
      filter_subjects: partitionFilter(partition),
      ...(afterSeq > 0
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: afterSeq + 1 }
        : { deliver_policy: DeliverPolicy.StartTime, opt_start_time: start }),
    })
    const { num_pending } = await consumer.info()
    if (num_pending === 0) settle(partition)
    const state = {
      messages: undefined as unknown as ConsumerMessages,
      lastSeq: afterSeq,
      lastAt: Date.now(),
      troubleAt: 0,
    }
    state.messages = await consumer.consume({
      callback: (m) => {
        state.lastSeq = m.seq
        state.lastAt = Date.now()
        try {
          options.detector.observe(JSON.parse(m.string()) as EventLine)
        } catch (error) {
          options.onSkipped?.(error, m.subject)
        }
        if (m.info.pending === 0) settle(partition)
      },
    })
    void (async () => {
      for await (const status of state.messages.status()) if (troubles.has(status.type)) state.troubleAt ||= Date.now()
    })().catch(() => {})
    followed.set(partition, state)
  }
  try {
    for (const partition of options.partitions) await follow(partition, 0)
  } catch (error) {
    // A start that failed halfway leaves nothing running: the caller may start again.
    await Promise.all([...followed.values()].map((f) => f.messages.close().catch(() => {})))
    throw error
  }

  // After every server restarted, the ordered consumers are gone with them and the client's attempts to recreate
  // one can fail for good, while a new one made from the last sequence read works at once: a partition that the
  // client reset and that delivered nothing since is followed afresh from where it stood.
  const watch = setInterval(() => {
    for (const [partition, state] of followed) {
      if (stopped || !state.troubleAt || state.lastAt > state.troubleAt || Date.now() - state.troubleAt < 5000) continue
      followed.delete(partition)
      void state.messages.close().catch(() => {})
      follow(partition, state.lastSeq).catch((error: unknown) => {
        options.onError?.(error)
        // Tried again at the next watch.
        followed.set(partition, { ...state, troubleAt: Date.now() - 5000 })
      })
    }
  }, 1000)

  let deciding: Promise<void> | undefined
  const decide = async () => {
    const due = options.detector.due(now())
    if (due.length === 0) return
    try {
      await Promise.all(
        due.map((line) =>
          publishAcked(
            options.js,
            {
              subject: eventSubject(line.writeKey, line.anonymousId ?? line.userId),
              body: JSON.stringify(line),
              msgID: messageKey(line.writeKey, line.messageId),
            },
            options.publishTimeoutMs ?? 5000,
          ),
        ),
      )
      for (const line of due) options.detector.observe(line)
      options.onDecided?.(due)
    } catch (error) {
      // Not observed as written: the next tick hands out the same decisions, with the same ids.
      options.onError?.(error)
    }
  }
  let ticking = false
  void caughtUp.then(() => (ticking = true))
  const timer = setInterval(() => {
    if (ticking && !deciding) deciding = decide().finally(() => (deciding = undefined))
  }, options.tickMs ?? 1000)

  return {
    caughtUp,
    async stop() {
      stopped = true
      clearInterval(timer)
      clearInterval(watch)
      await deciding
      await Promise.all([...followed.values()].map((f) => f.messages.close()))
    },
  }
}

/**
 * What the client tells of a consumer that may have stopped delivering. Missed heartbeats are not told while the
 * client is disconnected, and after every server restarted the client may tell only that the consumer or the stream
 * is not found, or that nobody answered, while its own attempts to recreate the consumer fail: each counts, and a
 * partition that delivers nothing for 5 s after one is followed afresh (harmless when it was merely quiet).
 */
const troubles = new Set([
  'reset',
  'heartbeats_missed',
  'consumer_not_found',
  'stream_not_found',
  'consumer_deleted',
  'no_responders',
])

/** When the stream's newest message was stored, by the servers' clock; undefined for an empty stream. */
async function newestMessageAt(js: JetStreamClient): Promise<number | undefined> {
  const { state } = await (await js.streams.get(streamName)).info()
  const at = Date.parse(state.last_ts)
  return state.messages > 0 && Number.isFinite(at) ? at : undefined
}
