import { createHash } from 'node:crypto'
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import type { EventLine, RejectedLine } from '@spoor/protocol'
import { closeConnection } from './connect-stream.js'
import { type Outgoing, publishAcked } from './publish-acked.js'
import { createStreamHealth, type StreamHealthState } from './stream-health.js'
import { eventSubject, messageKey, rejectedSubject } from './subjects.js'

/** The stream could not acknowledge a write: nothing may be answered as kept; the sender retries after `retryAfter` s. */
export class StreamUnavailableError extends Error {
  override name = 'StreamUnavailableError'
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message)
  }
}

/** Options of {@link createStreamSink}. */
export interface StreamSinkOptions {
  nc: NatsConnection
  js: JetStreamClient
  jsm: JetStreamManager
  /** How long one publish may wait for its PubAck, in ms (default 5 s); past it the request is answered 503. */
  publishTimeoutMs?: number
  /** How often a stream that failed a publish is asked whether it is back, in ms (default 1 s). */
  probeEveryMs?: number
}

/** The collector's sink when it runs with `--stream`: an event sink, plus whether it can take writes now. */
export interface StreamSink {
  write(lines: EventLine[], receivedAt: Date): Promise<void>
  reject(lines: RejectedLine[], receivedAt: Date): Promise<void>
  health(): StreamHealthState
  /**
   * Resolves once the stream was asked, at creation, whether it exists: a collector listens after it, so that its
   * readiness is true from its first answer (a stream never set up makes it not ready, and it takes no events).
   */
  readonly checked: Promise<void>
  /** Stops taking writes, waits for the publishes under way, and drains the connection. */
  close(): Promise<void>
}

/**
 * An event sink that publishes each line to the stream: `spoor.events.<site>.<partition>` with
 * `Nats-Msg-Id: <site>:<messageId>`, refused events to `spoor.rejected.<site>`. Its promise resolves once every line
 * has its PubAck, that is once it is stored on a quorum of the replicas; a repeat within the duplicate window is
 * acknowledged as a duplicate and not stored again, which is how every collector of a fleet dedupes against the
 * others.
 *
 * @example
 * const nc = await connectStream('nats://127.0.0.1:4222', 'spoor serve')
 * const sink = createStreamSink({ nc, js: jetstream(nc), jsm: await jetstreamManager(nc) })
 * const app = createApp({ config, sink })
 */
export function createStreamSink(options: StreamSinkOptions): StreamSink {
  const timeout = options.publishTimeoutMs ?? 5000
  const health = createStreamHealth(options.nc, options.jsm, options.probeEveryMs)
  const checked = health.check()
  const pending = new Set<Promise<unknown>>()
  let closed = false

  const publishAll = async (messages: Outgoing[]) => {
    if (closed) throw new StreamUnavailableError('the collector is shutting down', 5)
    const state = health.state()
    if (!state.ready) throw new StreamUnavailableError(`events cannot be stored now: ${state.reason}`, state.retryAfter)
    const all = Promise.all(messages.map((m) => publishAcked(options.js, m, timeout)))
    pending.add(all)
    try {
      await all
      health.succeeded()
    } catch (error) {
      health.failed(error)
      // Some lines may be stored: the client's retry carries the same ids, which the stream acknowledges as duplicates.
      throw new StreamUnavailableError(`the stream did not acknowledge the events: ${(error as Error).message}`, 2)
    } finally {
      pending.delete(all)
    }
  }

  return {
    write: (lines) =>
      publishAll(
        lines.map((line) => ({
          subject: eventSubject(line.writeKey, line.anonymousId ?? line.userId),
          body: JSON.stringify(line),
          msgID: messageKey(line.writeKey, line.messageId),
        })),
      ),
    reject: (lines) =>
      publishAll(
        lines.map((line) => {
          const body = JSON.stringify(line)
          // An id of its own content, so that retrying its publish after a failover cannot store it twice.
          return {
            subject: rejectedSubject(line.writeKey),
            body,
            msgID: `rejected:${createHash('sha1').update(body).digest('hex')}`,
          }
        }),
      ),
    health: () => health.state(),
    checked,
    async close() {
      closed = true
      await Promise.allSettled(pending)
      health.close()
      await closeConnection(options.nc)
    },
  }
}
