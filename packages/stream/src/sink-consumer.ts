import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream'
import type { EventLine, RejectedLine } from '@spoor/protocol'
import { settledWithin } from './connect-stream.js'
import { sinkConsumer, streamName } from './stream-settings.js'

/** Where a sink process keeps what it takes from the stream: the collector's NDJSON sink fits. */
export interface LineWriter {
  /** Resolves once the lines are synced to their file. */
  write(lines: EventLine[], receivedAt: Date): Promise<void>
  reject(lines: RejectedLine[], receivedAt: Date): Promise<void>
}

/** Options of {@link runSinkConsumer}. */
export interface SinkConsumerOptions {
  js: JetStreamClient
  writer: LineWriter
  /** Messages taken into one write at most (default 1,000). */
  batch?: number
  /** How long a batch waits for more messages before it is written, in ms (default 20). */
  lingerMs?: number
  /** How often a consumer that delivers nothing is checked for messages waiting, in ms (default 5 s). */
  watchEveryMs?: number
  /** Told of every batch written, and of failures (which are delivered again). */
  onWritten?(count: number): void
  onFailed?(error: unknown): void
  /** Told of a message that is no line and is dropped (terminated), with why: it would stop every sink. */
  onDropped?(reason: string, subject: string): void
}

/** A running sink consumer. */
export interface RunningSinkConsumer {
  /** Stops pulling, waits for the writes under way and their acknowledgements. */
  stop(): Promise<void>
}

const hourOf = (iso: string) => iso.slice(0, 13)

/**
 * The line a message carries, or why it carries none. Only collectors publish here, but any client of the servers
 * can: a message without its arrival time would throw in every sink it reached, one after another, forever.
 */
function lineOf(m: JsMsg): EventLine | RejectedLine | string {
  let line: unknown
  try {
    line = JSON.parse(m.string())
  } catch {
    return 'not a JSON line'
  }
  if (typeof line !== 'object' || line === null || Array.isArray(line)) return 'not a JSON object'
  const { receivedAt } = line as { receivedAt?: unknown }
  if (typeof receivedAt !== 'string' || !Number.isFinite(Date.parse(receivedAt))) return 'no receivedAt time'
  return line as EventLine | RejectedLine
}

/**
 * Pulls from the sinks' durable consumer and writes each message as one NDJSON line through `writer`, acknowledging
 * a message only once the write that holds it has resolved (its file is synced). Several processes running this
 * share the consumer's messages. A message whose write failed is handed back (nak) and delivered again, to this
 * process or another; a process killed between its sync and its acknowledgements has its messages delivered again
 * too: the files can then hold a line twice, which readers drop by messageId.
 */
export async function runSinkConsumer(options: SinkConsumerOptions): Promise<RunningSinkConsumer> {
  const batch = options.batch ?? 1000
  const linger = options.lingerMs ?? 20
  const consumer = await options.js.consumers.get(streamName, sinkConsumer)
  let buffer: JsMsg[] = []
  let timer: NodeJS.Timeout | undefined
  const writes = new Set<Promise<void>>()

  const writeBatch = async (messages: JsMsg[]) => {
    // One write per log and hour of arrival: the NDJSON sink files a write under the hour it is given.
    const groups = new Map<
      string,
      { kind: 'events' | 'rejected'; lines: (EventLine | RejectedLine)[]; receivedAt: string; messages: JsMsg[] }
    >()
    for (const m of messages) {
      const line = lineOf(m)
      if (typeof line === 'string') {
        // Handed back, it would come back to a sink forever. No reason with it: nats-server 2.9 takes a +TERM that
        // carries one for an unknown reply and ignores it, and the message comes back after each ack wait.
        m.term()
        options.onDropped?.(line, m.subject)
        continue
      }
      const kind = m.subject.startsWith('spoor.rejected.') ? 'rejected' : 'events'
      const key = `${kind}\n${hourOf(line.receivedAt)}`
      let group = groups.get(key)
      if (!group) {
        group = { kind, lines: [], receivedAt: line.receivedAt, messages: [] }
        groups.set(key, group)
      }
      group.lines.push(line)
      group.messages.push(m)
    }
    await Promise.all(
      [...groups.values()].map(async (group) => {
        try {
          const at = new Date(group.receivedAt)
          if (group.kind === 'events') await options.writer.write(group.lines as EventLine[], at)
          else await options.writer.reject(group.lines as RejectedLine[], at)
          for (const m of group.messages) m.ack()
          options.onWritten?.(group.messages.length)
        } catch (error) {
          for (const m of group.messages) m.nak(1000)
          options.onFailed?.(error)
        }
      }),
    )
  }

  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (!buffer.length) return
    const taken = buffer
    buffer = []
    const done = writeBatch(taken)
    writes.add(done)
    void done.finally(() => writes.delete(done))
  }

  let lastMessageAt = Date.now()
  const pull = () =>
    consumer.consume({
      max_messages: batch * 2,
      callback: (m) => {
        lastMessageAt = Date.now()
        buffer.push(m)
        if (buffer.length >= batch) flush()
        else timer ??= setTimeout(flush, linger)
      },
    })
  let messages: ConsumerMessages = await pull()

  // After every server of the stream restarted, the consumer has no leader for a while, and a pull made then is
  // never answered, even once there is one again: a consumer that delivers nothing while messages wait is
  // started afresh.
  const watchEvery = options.watchEveryMs ?? 5000
  let stopped = false
  let checking = false
  const watch = setInterval(() => {
    if (stopped || checking || Date.now() - lastMessageAt < watchEvery) return
    checking = true
    consumer
      .info()
      .then(async (info) => {
        if (stopped || info.num_pending === 0 || Date.now() - lastMessageAt < watchEvery) return
        await messages.close().catch(() => {})
        if (!stopped) messages = await pull()
        lastMessageAt = Date.now()
      })
      .catch(() => {})
      .finally(() => (checking = false))
  }, watchEvery)

  return {
    async stop() {
      stopped = true
      clearInterval(watch)
      // Closing the pull waits for the server while one answers; with none, the messages it holds unacknowledged
      // go to a sink again after the ack wait, so a stop does not wait for it long.
      await settledWithin(messages.close(), 2000)
      flush()
      await Promise.all(writes)
    },
  }
}
