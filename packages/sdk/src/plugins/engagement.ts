import type { Plugin } from '../core/plugin.js'
import { listen } from './listen.js'

/**
 * Records how long a page was visible and in use, and how far it was scrolled: `Page Engaged` {engaged_ms,
 * max_scroll_percent, page_view_id} when the page is hidden or left and before the next page view of a single-page
 * app. Time counts while the page is visible, up to `idle` ms after the last input or scroll, so a tab left open
 * is not attention. Each report carries the time since the previous report of the same page view.
 *
 * @param idle ms after the last input that still count as engaged (default 30,000)
 * @example
 * createTracker({ writeKey, endpoint, plugins: [pageviews(), engagement()] })
 */
export const engagement = (idle = 30_000): Plugin => {
  let report = () => {}
  let pageViewId: string | undefined
  let maxScroll = 0
  return {
    name: 'engagement',
    setup(tracker) {
      const root = document.documentElement
      let engaged = 0
      let last = Date.now()
      let visible = !document.hidden
      const add = () => {
        const now = Date.now()
        if (visible) engaged += Math.min(now - last, idle)
        last = now
        visible = !document.hidden
        maxScroll = Math.max(maxScroll, Math.min(100, Math.round(((scrollY + innerHeight) / root.scrollHeight) * 100)))
      }
      report = () => {
        add()
        if (pageViewId && engaged) {
          tracker.track('Page Engaged', {
            engaged_ms: engaged,
            max_scroll_percent: maxScroll,
            page_view_id: pageViewId,
          })
        }
        engaged = 0
      }
      // Browsers fire visibilitychange when a page is left too (all those the snippet supports), so it is the one
      // signal needed, as in web-vitals.
      for (const type of ['scroll', 'pointerdown', 'pointermove', 'keydown', 'touchstart', 'visibilitychange']) {
        listen(tracker, document, type, () => (document.hidden ? report : add)(), true)
      }
    },
    enrich(event) {
      // A new page view closes the previous one's account (single-page apps, bfcache restores).
      if (event.type == 'page') {
        report()
        pageViewId = event.messageId
        maxScroll = 0
      }
      return event
    },
  }
}
