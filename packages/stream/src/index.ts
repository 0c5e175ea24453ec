// The two JetStream handles every command takes from a connection, so that the collector depends on this package only.
export { jetstream, jetstreamManager } from '@nats-io/jetstream'
export { parseWorker, workerPartitions } from './cart-worker-partitions.js'
export { closeConnection, connectStream, connectStreamOnce, parseServers } from './connect-stream.js'
export { type CartDecider, type CartFollower, type FollowCartsOptions, followCarts } from './follow-carts.js'
export { type InitReport, initStream, StreamSettingsError } from './init-stream.js'
export {
  type LineWriter,
  type RunningSinkConsumer,
  runSinkConsumer,
  type SinkConsumerOptions,
} from './sink-consumer.js'
export type { StreamHealthState } from './stream-health.js'
export { defaultStreamSettings, type StreamSettings, sinkConsumer } from './stream-settings.js'
export { createStreamSink, type StreamSink, type StreamSinkOptions, StreamUnavailableError } from './stream-sink.js'
export {
  eventSubject,
  messageKey,
  partitionOf,
  partitions,
  rejectedSubject,
  siteToken,
  streamName,
} from './subjects.js'
export { untilAnswered } from './until-answered.js'
