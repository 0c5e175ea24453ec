import type { GatedKeyValue } from '../core/gated-key-value.js'
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
  const storage = (tracker as PluginHost).storage
  if (!storage._get('spoor.nps')) {
    show((score, comment) => (score == null ? storage._set('spoor.nps', 'dismissed') : nps(tracker, score, comment)))
  }
}

/** The visits counted on this device (`spoor.visits`); the names are stored, so they stay. */
interface Visits {
  number: number
  /** Last activity, ms since the epoch. */
  at: number
}

/**
 * Shows the NPS prompt by itself on the visitor's `after`-th visit or later, `delay` ms after the page starts,
 * once consent allows storing the answer; never again once answered or dismissed. The prompt's code is `show`'s
 * to load, so that it costs nothing until then (the snippet loads `spoor-nps.js` from the collector).
 *
 * Visits are counted here, on the device (`spoor.visits`: a new one after 30 minutes without an event), because
 * the page must know the count to decide: the collector derives the visits on the events themselves.
 *
 * @param options.after the visit from which to ask
 * @param options.delay ms after start (default 5,000)
 * @example
 * npsPrompt({ after: 3, show: (done) => import('@spoor/sdk/nps-prompt').then((m) => m.showNpsPrompt(done)) })
 */
export const npsPrompt = ({
  after,
  show,
  delay = 5000,
}: {
  after: number
  show: ShowNpsPrompt
  delay?: number
}): Plugin => {
  let storage: GatedKeyValue
  const visits = (): Visits => JSON.parse(storage._get('spoor.visits')!) ?? { number: 0, at: 0 }
  return {
    name: 'nps-prompt',
    setup(tracker) {
      storage = tracker.storage
      const timer = setTimeout(() => tracker.persist() && visits().number >= after && promptNps(tracker, show), delay)
      return () => clearTimeout(timer)
    },
    enrich(event) {
      const now = Date.now()
      const seen = visits()
      storage._set('spoor.visits', JSON.stringify({ number: seen.number + +(now - seen.at > 18e5), at: now }))
      return event
    },
  }
}
