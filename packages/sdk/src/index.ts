export { createTracker, type TrackerOptions } from './browser/create-tracker.js'
export {
  type ConsentState,
  type CoreOptions,
  type CoreTracker,
  createMemoryStore,
  createRedactor,
  createTrackerCore,
  type KeyValue,
  type Lock,
  type Plugin,
  type PluginHost,
  type PluginStage,
  type Properties,
  type QueuedEvent,
  type QueueLimits,
  type SendOptions,
  type SendResult,
  type Store,
  type Tracker,
  type Transport,
} from './core/index.js'
export { alias, group, signOut } from './helpers/account.js'
export { nps, review, survey } from './helpers/feedback.js'
export { type CartOptions, cart } from './plugins/cart.js'
export { clicks } from './plugins/clicks.js'
export { devices } from './plugins/devices.js'
export { engagement } from './plugins/engagement.js'
export { heatmaps } from './plugins/heatmaps.js'
export { identifyField } from './plugins/identify-field.js'
export { media } from './plugins/media.js'
export { npsPrompt, promptNps, type ShowNpsPrompt } from './plugins/nps-prompt.js'
export { type PageviewOptions, pageviews } from './plugins/pageviews.js'
export { campaignFrom, sessions } from './plugins/sessions.js'
export { webVitals } from './plugins/web-vitals.js'
export { version } from './version.js'
