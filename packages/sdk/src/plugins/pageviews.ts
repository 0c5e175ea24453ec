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
 * restore, where scripts do not run again. One navigation never counts twice: a page event for the same path,
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
  let path: string | undefined
  return {
    name: 'pageviews',
    setup(tracker) {
      // `how` is the history method, or the event that announced the navigation.
      const view = (how?: unknown) => {
        if ((inSnippet || !tracker.lifetime.aborted) && (how != 'replaceState' || location.pathname != path))
          tracker.page()
      }
      for (const method of ['pushState', 'replaceState'] as const) {
        const original = history[method]
        history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
          original.apply(this, args)
          view(method)
        }
      }
      listen(tracker, window, 'popstate', view)
      if (hash) listen(tracker, window, 'hashchange', view)
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
      path = location.pathname
      return event
    },
  }
}
