export type { KeyValue, Lock, QueuedEvent, SendResult, Store, Transport } from './contracts.js'
export { createMemoryStore } from './memory-store.js'
export { createQueue, type Queue, type QueueLimits } from './queue.js'
export { createSender, type Sender, type SendOptions } from './sender.js'
export { backoffDelay, parseRetryAfter } from './backoff.js'
export { createIdentity, type Identity } from './identity.js'
export type { Plugin } from './plugin.js'
export {
  createTrackerCore, type ConsentState, type CoreOptions, type CoreTracker, type PluginHost, type Properties, type Tracker,
} from './tracker.js'
export { createGatedKeyValue, type GatedKeyValue } from './gated-key-value.js'
export { uuid } from './uuid.js'
export { createRedactor } from './redact.js'
