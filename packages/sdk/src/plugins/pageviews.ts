import { inSnippet } from '../core/build-flags.js'
import type { Plugin } from '../core/plugin.js'
import { listen } from './listen.js'

/** Options of {@link pageviews}. */
export interface PageviewOptions {
  /** Count a change of the URL's fragment as a page view, for hash routers (default false). */
  hash?: boolean
}

/**
 * Records page views: on load (once a prerendered page is shown), on single-page navigation (`pushState`;
 * `replaceState` only when the path changes; `popstate`; `hashchange` with `hash`), and on a back/forward cache
 * restore, where scripts do not run again. A navigation's view is recorded 300 ms after it, as Umami's tracker
 * does, because routers set the new page's title after they push its state (a microtask or a render later): read at
 * once, the view had the previous page's title. It is recorded at once when the page is hidden (left) or navigates
 * again to another URL within that time, so that it is neither lost nor given the next URL. One navigation never counts twice: a page event for the same path,
 * query (and fragment, with `hash`) and name as the previous one is dropped, whether it comes from a router calling
 * `replaceState` and `pushState`, a manual `page()` beside the automatic one, or a second copy of the snippet.
 * Put it first among plugins, so that the others never see a dropped page view.
 *
 * @param options.hash count fragment changes (default false)
 * @example
 * createTracker({ writeKey, endpoint, plugins: [pageviews()] })
 */
export const pageviews = ({ hash = false }: PageviewOptions = {}): Plugin => {
  let last: string | undefined
  return {
    name: 'pageviews',
    setup(tracker) {
      // The timer of a navigation's view that waits for its title (0: none waits).
      let waiting: ReturnType<typeof setTimeout> | 0 = 0
      const view = () => {
        clearTimeout(waiting)
        waiting = 0
        if (inSnippet || !tracker.lifetime.aborted) tracker.page()
      }
      const later = () => {
        clearTimeout(waiting)
        waiting = setTimeout(view, 300)
      }
      for (const method of ['pushState', 'replaceState'] as const) {
        const original = history[method]
        history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
          const { href, pathname } = location
          // A view still waiting is recorded before the URL changes under it; a router's replaceState and
          // pushState to one URL leave it waiting for the title.
          if (waiting && new URL(args[2] ?? href, href).href != href) view()
          original.apply(this, args)
          if (method == 'pushState' || location.pathname != pathname) later()
        }
      }
      listen(tracker, window, 'popstate', later)
      if (hash) listen(tracker, window, 'hashchange', later)
      // Left (or hidden) before the title came: recorded now, before the tracker's own listener on the window
      // sends what waits, so that it goes with the page (or is stored for the next one).
      listen(tracker, document, 'visibilitychange', () => waiting && view())
      listen<PageTransitionEvent>(tracker, window, 'pageshow', (event) => {
        if (!event.persisted) return
        last = undefined
        view()
      })
      // A prerendered page counts when the visitor sees it, not when the browser prepared it. Otherwise the view
      // comes in a task of its own, off the script's evaluation, after calls the page queued before the script
      // loaded (an identify, a manual page) and which the snippet replays in the task before.
      if (document.prerendering) listen(tracker, document, 'prerenderingchange', view)
      else setTimeout(view)
    },
    enrich(event) {
      if (event.type != 'page') return event
      const url = event.context!.page!.url!
      // The recorded URL, without its fragment unless fragments count.
      const key = (hash ? url : url.split('#')[0]!) + event.name
      if (key == last) return null
      last = key
      return event
    },
  }
}
