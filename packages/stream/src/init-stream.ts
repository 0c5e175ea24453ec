import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream'
import { nanos } from './nanos.js'
import { type StreamSettings, sinkConsumer, streamName } from './stream-settings.js'

/** What {@link initStream} did. */
export interface InitReport {
  stream: 'created' | 'updated'
  consumer: 'created' | 'updated'
}

/** Settings that `spoor stream init` will not apply, and why. */
export class StreamSettingsError extends Error {
  override name = 'StreamSettingsError'
}

const isNotFound = (error: unknown) => /not found/i.test(String((error as Error)?.message ?? error))

/**
 * Creates the stream and the sinks' durable consumer, or brings existing ones to `settings`. Limits retention, so
 * that cart workers can read history back; refusing new messages when full, so that an event not yet written by a
 * sink is never dropped to make room (the collectors answer 503 instead).
 */
export async function initStream(jsm: JetStreamManager, settings: StreamSettings): Promise<InitReport> {
  const config: Partial<StreamConfig> = {
    subjects: ['spoor.events.>', 'spoor.rejected.>'],
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.New,
    storage: StorageType.File,
    num_replicas: settings.replicas,
    max_age: nanos(settings.maxAgeMs),
    max_bytes: settings.maxBytes,
    duplicate_window: nanos(settings.duplicateWindowMs),
  }
  let stream: InitReport['stream']
  try {
    const { state } = await jsm.streams.info(streamName)
    // Given a limit under what it holds, a server drops the oldest messages at once, discard policy or not: events
    // that no sink may have written yet.
    if (state.bytes > settings.maxBytes)
      throw new StreamSettingsError(
        `the stream holds ${state.bytes} bytes, more than --max-bytes ${settings.maxBytes}: the servers would drop its oldest messages at once, before the sinks may have written them; give a --max-bytes above what it holds`,
      )
    await jsm.streams.update(streamName, config)
    stream = 'updated'
  } catch (error) {
    if (!isNotFound(error)) throw error
    await jsm.streams.add({ name: streamName, ...config })
    stream = 'created'
  }

  const consumerConfig = {
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(settings.ackWaitMs),
    // Never given up on: a message a sink could not write (a full disk) is delivered again until one can.
    max_deliver: -1,
    max_ack_pending: 20_000,
  }
  let consumer: InitReport['consumer']
  try {
    await jsm.consumers.info(streamName, sinkConsumer)
    await jsm.consumers.update(streamName, sinkConsumer, consumerConfig)
    consumer = 'updated'
  } catch (error) {
    if (!isNotFound(error)) throw error
    await jsm.consumers.add(streamName, {
      durable_name: sinkConsumer,
      deliver_policy: DeliverPolicy.All,
      ...consumerConfig,
    })
    consumer = 'created'
  }
  return { stream, consumer }
}
