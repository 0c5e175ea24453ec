import { parseRetryAfter } from '../core/backoff.js'
import { inSnippet } from '../core/build-flags.js'
import type { Transport } from '../core/contracts.js'

/**
 * Sends batches to `url` as `text/plain` (JSON inside): a CORS-safelisted type, so no preflight, which could not
 * finish while a page unloads. `keepalive` lets a send that started before unload finish after it. When the
 * collector refuses the key or the page's origin (401, 403), its answer is printed with `console.warn` (not in the
 * script-tag builds).
 */
export function createFetchTransport(url: string): Transport {
  return {
    async send(body) {
      const response = await fetch(url, { method: 'POST', body, keepalive: true, credentials: 'omit' })
      const status = response.status
      // 401 or 403 (a refused write key or page origin): the collector's answer, which says what to fix, goes where
      // the developer of an app built with the SDK looks. Not in the script-tag builds, whose every visitor would pay
      // for it: the collector logs each refusal with its fix.
      if (!inSnippet && (status === 401 || status === 403)) response.text().then(console.warn)
      return { httpStatus: status, retryAfter: parseRetryAfter(response.headers.get('retry-after')) }
    },
    beacon(body) {
      try {
        return navigator.sendBeacon(url, body)
      } catch {
        return false
      }
    },
  }
}
