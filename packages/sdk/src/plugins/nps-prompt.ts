import type { Plugin } from '../core/plugin.js'
import type { PluginHost, Tracker } from '../core/tracker.js'
import { nps } from '../helpers/feedback.js'

/** Shows an NPS prompt; it calls `done(score, comment)` when answered and `done()` when dismissed. */
export type ShowNpsPrompt = (done: (score?: number, comment?: string) => void) => void

/**
 * Shows the NPS prompt now, unless this visitor already answered or dismissed it (kept in `spoor.nps`).
 *
 * @example
 * promptNps(spoor, (done) => import('@spoor/sdk/nps-prompt').then((m) => m.showNpsPrompt(done)))
 */
export function promptNps(tracker: Tracker, show: ShowNpsPrompt): void {
  const storage = (tracker as PluginHost)._storage
  if (!storage._get('spoor.nps')) {
    show((score, comment) => (score == null ? storage._set('spoor.nps', 'dismissed') : nps(tracker, score, comment)))
  }
}

/**
 * Shows the NPS prompt by itself on the visitor's `after`-th visit (session) or later, `delay` ms after the page
 * starts, once consent allows storing the answer; never again once answered or dismissed. The prompt's code is
 * `show`'s to load, so that it costs nothing until then (the snippet loads `spoor-nps.js` from the collector).
 *
 * @param options.after the visit from which to ask
 * @param options.delay ms after start (default 5,000)
 * @example
 * npsPrompt({ after: 3, show: (done) => import('@spoor/sdk/nps-prompt').then((m) => m.showNpsPrompt(done)) })
 */
export const npsPrompt = ({ after, show, delay = 5000 }: { after: number; show: ShowNpsPrompt; delay?: number }): Plugin => ({
  name: 'nps-prompt',
  setup(tracker) {
    const timer = setTimeout(() => {
      // The visit is the session's number (sessions plugin); without one, no visit counts.
      if (tracker._persist() && JSON.parse(tracker._storage._get('spoor.session')!)?.number >= after) promptNps(tracker, show)
    }, delay)
    return () => clearTimeout(timer)
  },
})
