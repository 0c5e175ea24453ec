import type { JetStreamManager } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import { streamName } from './subjects.js'

/** JetStream's error code for a stream that does not exist. */
const streamNotFound = 10059

/** Room a full stream must have again before it counts as taking writes: a large line (a server takes 1 MiB at most). */
const headroom = 1024 * 1024

/** Whether the stream takes writes now, and if not, why and when to try again (the shape of the collector's sink health). */
export interface StreamHealthState {
  ready: boolean
  reason?: string
  retryAfter: number
  /** Not a disk: always infinite, so the collector shows no free-space figure. */
  freeBytes: number
}

/** The stream as the collector sees it: the connection's state, and failures of publishes until a probe succeeds. */
export interface StreamHealth {
  state(): StreamHealthState
  /** A publish failed: not ready until the stream answers a probe. */
  failed(error: unknown): void
  /** A publish was acknowledged. */
  succeeded(): void
  /** Asks the stream now whether it exists and has a leader; resolves once it answered or failed to. */
  check(): Promise<void>
  close(): void
}

/** Why a collector takes no events while the stream it publishes to was never set up (or was deleted). */
const missing = `the stream ${streamName} does not exist on these servers: set it up with "spoor stream init"`

/**
 * Watches the connection's status events, and after a failed publish asks the stream for its info every
 * `probeEveryMs` until it answers: while the stream has lost its quorum the connection may be up and every
 * publish still time out, and while the collector refuses events up front no publish would tell it otherwise.
 */
export function createStreamHealth(nc: NatsConnection, jsm: JetStreamManager, probeEveryMs = 1000): StreamHealth {
  let connected = !nc.isClosed()
  let failure: string | undefined
  let probing = false
  let closed = false

  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') connected = false
      if (status.type === 'reconnect') connected = true
    }
  })().catch(() => {})

  const probe = () =>
    jsm.streams
      .info(streamName)
      .then((info) => {
        const { max_bytes: maxBytes } = info.config
        // A full stream refuses every write (it discards new messages) while its leader answers: ready only once it
        // has room for a large line again, not for the one request the next publish refusal turns away.
        if (maxBytes > 0 && info.state.bytes > maxBytes - Math.min(headroom, maxBytes / 10)) {
          failure = `the stream is full: it holds ${info.state.bytes} bytes of its --max-bytes ${maxBytes}; raise it with "spoor stream init", or wait for --max-age to make room`
          return
        }
        // A stream without a leader answers its info from the meta layer: writes would still fail.
        if (info.cluster?.leader || !info.cluster) failure = undefined
      })
      .catch((error: unknown) => {
        // A publish to a subject no stream takes fails as "jetstream is not enabled", which sends the operator to
        // the servers' flags: the stream's own answer says what is missing.
        if ((error as { code?: unknown })?.code === streamNotFound) failure = missing
      })
  const timer = setInterval(() => {
    if (!failure || probing || !connected || closed) return
    probing = true
    void probe().finally(() => (probing = false))
  }, probeEveryMs)
  timer.unref()

  return {
    state() {
      if (closed) return { ready: false, reason: 'the stream connection is closed', retryAfter: 5, freeBytes: Infinity }
      if (!connected)
        return { ready: false, reason: 'the stream servers cannot be reached', retryAfter: 2, freeBytes: Infinity }
      if (failure)
        return {
          ready: false,
          reason: failure.startsWith('the stream ') ? failure : `the stream did not acknowledge a write: ${failure}`,
          retryAfter: 2,
          freeBytes: Infinity,
        }
      return { ready: true, retryAfter: 0, freeBytes: Infinity }
    },
    failed(error) {
      failure = (error as Error)?.message ?? String(error)
    },
    succeeded() {
      failure = undefined
    },
    check: probe,
    close() {
      closed = true
      clearInterval(timer)
    },
  }
}
