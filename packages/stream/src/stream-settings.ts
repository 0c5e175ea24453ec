import { partitions, streamName } from './subjects.js'

/** What `spoor stream init` sets on the stream and its consumers. */
export interface StreamSettings {
  /** Copies of each message on different servers: 1, 3 or 5 (default 3: one server may be down). */
  replicas: number
  /** How long messages are kept, in ms (default 72 h: a cart worker rebuilds from a day of events and more). */
  maxAgeMs: number
  /** Space the stream may take on each server; past it publishes are refused, never old messages dropped (default 10 GiB). */
  maxBytes: number
  /** Window within which a repeated `Nats-Msg-Id` is acknowledged and not stored again, in ms (default 10 min). */
  duplicateWindowMs: number
  /** How long a sink has to write and acknowledge a message before it goes to another sink, in ms (default 30 s). */
  ackWaitMs: number
}

/** The defaults of {@link StreamSettings}. */
export const defaultStreamSettings: StreamSettings = {
  replicas: 3,
  maxAgeMs: 72 * 3_600_000,
  maxBytes: 10 * 1024 ** 3,
  duplicateWindowMs: 10 * 60_000,
  ackWaitMs: 30_000,
}

/** The durable consumer the NDJSON sinks share. */
export const sinkConsumer = 'spoor-sink'

export { partitions, streamName }
