export { backoffDelay, parseRetryAfter } from './backoff.js'
export type { KeyValue, Lock, QueuedEvent, SendResult, Store, Transport } from './contracts.js'
export { createGatedKeyValue, type GatedKeyValue } from './gated-key-value.js'
export { createIdentity, type Identity } from './identity.js'
export { createMemoryStore } from './memory-store.js'
export type { Plugin, PluginStage } from './plugin.js'
export { createQueue, type Queue, type QueueLimits } from './queue.js'
export { createRedactor } from './redact.js'
export { createSender, type Sender, type SendOptions } from './sender.js'
export {
  type ConsentState,
  type CoreOptions,
  type CoreTracker,
  createTrackerCore,
  type PluginHost,
  type Properties,
  type Tracker,
} from './tracker.js'
export { uuid } from './uuid.js'
