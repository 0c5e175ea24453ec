import type { Plugin } from '../core/plugin.js'
import { listen } from './listen.js'

const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * Opt-in email capture: when the visitor leaves a field the site marked `data-spoor-identify` holding an email
 * address, `identify(null, { email })` links it to the visitor (what lets an abandoned checkout be recovered).
 * It is the only form value spoor ever reads, and only in fields the site owner marked.
 *
 * @example
 * // <input type="email" name="email" data-spoor-identify>
 * createTracker({ writeKey, endpoint, plugins: [identifyField()] })
 */
export const identifyField = (): Plugin => ({
  name: 'identify-field',
  setup(tracker) {
    listen(
      tracker,
      document,
      'change',
      (event) => {
        const field = event.target as HTMLInputElement
        const value = field.matches?.('[data-spoor-identify]') && field.value.trim()
        if (value && email.test(value)) tracker.identify(null, { email: value })
      },
      true,
    )
  },
})
