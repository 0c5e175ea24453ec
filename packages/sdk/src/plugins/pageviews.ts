import type { Plugin } from '../core/plugin.js'

/**
 * Records a page view when the tracker starts.
 *
 * @example
 * createTracker({ writeKey, endpoint, plugins: [pageviews()] })
 */
export const pageviews = (): Plugin => ({
  name: 'pageviews',
  setup: (tracker) => tracker.page(),
})
