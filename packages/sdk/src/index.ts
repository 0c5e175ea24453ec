export { createTracker, type TrackerOptions } from './browser/create-tracker.js'
export { pageviews } from './plugins/pageviews.js'
export { version } from './version.js'
export {
  createMemoryStore, createTrackerCore, type CoreOptions, type CoreTracker, type KeyValue, type Lock, type Plugin,
  type Properties, type QueueLimits, type QueuedEvent, type SendOptions, type SendResult, type Store, type Tracker,
  type Transport,
} from './core/index.js'
