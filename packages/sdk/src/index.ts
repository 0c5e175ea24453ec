export { createTracker, type TrackerOptions } from './browser/create-tracker.js'
export { pageviews, type PageviewOptions } from './plugins/pageviews.js'
export { clicks } from './plugins/clicks.js'
export { sessions, campaignFrom } from './plugins/sessions.js'
export { media } from './plugins/media.js'
export { engagement } from './plugins/engagement.js'
export { heatmaps } from './plugins/heatmaps.js'
export { cart, type CartOptions } from './plugins/cart.js'
export { devices } from './plugins/devices.js'
export { identifyField } from './plugins/identify-field.js'
export { webVitals } from './plugins/web-vitals.js'
export { npsPrompt, promptNps, type ShowNpsPrompt } from './plugins/nps-prompt.js'
export { alias, group, signOut } from './helpers/account.js'
export { nps, review, survey } from './helpers/feedback.js'
export { version } from './version.js'
export {
  createMemoryStore, createRedactor, createTrackerCore, type ConsentState, type CoreOptions, type CoreTracker, type KeyValue,
  type Lock, type Plugin, type PluginHost, type Properties, type QueueLimits, type QueuedEvent, type SendOptions,
  type SendResult, type Store, type Tracker, type Transport,
} from './core/index.js'
