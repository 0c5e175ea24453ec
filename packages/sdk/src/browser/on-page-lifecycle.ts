import { inSnippet } from '../core/build-flags.js'
import type { CoreTracker } from '../core/tracker.js'

/**
 * Tells the tracker when the page is hidden (`visibilitychange`) or left (`pagehide`), and when it is shown again.
 * Hidden is the last event a page can count on: mobile systems kill background tabs without `pagehide`, and
 * `unload` would keep the page out of the back/forward cache. Both may fire for one departure; the tracker copes
 * with a repeat. Sends what waits when the browser is back online, when the page is back from the back/forward
 * cache (where scripts do not run again), and a second after start: what earlier pages left in the queue goes out
 * then, off the page's critical path, and after the beacons of the page before have had time to land (sent at
 * once, they would often arrive together with them, and both be written).
 */
export function onPageLifecycle(tracker: CoreTracker): void {
  // visibilitychange bubbles from the document to the window.
  for (const type of ['visibilitychange', 'pagehide', 'pageshow', 'online']) {
    const listener = (event: Event) => {
      tracker.hide(type == 'pagehide' || document.hidden)
      if (type == 'online' || (type == 'pageshow' && (event as PageTransitionEvent).persisted)) void tracker.flush()
    }
    // destroy() removes them: a destroyed tracker left listening (an app's module replaced by hot reloading, made
    // again) beaconed, as the page hid, the events its successor was sending by fetch from the shared queue. A tag's
    // tracker lasts as long as its page.
    if (inSnippet) addEventListener(type, listener)
    else addEventListener(type, listener, { signal: tracker.lifetime })
  }
  const start = setTimeout(() => void tracker.flush(), 1000)
  if (!inSnippet) tracker.lifetime.addEventListener('abort', () => clearTimeout(start))
}
