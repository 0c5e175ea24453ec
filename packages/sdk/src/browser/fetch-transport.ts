import { parseRetryAfter } from '../core/backoff.js'
import type { Transport } from '../core/contracts.js'

/**
 * Sends batches to `url` as `text/plain` (JSON inside): a CORS-safelisted type, so no preflight, which could not
 * finish while a page unloads. `keepalive` lets a send that started before unload finish after it.
 */
export function createFetchTransport(url: string): Transport {
  return {
    async _send(body) {
      const response = await fetch(url, { method: 'POST', body, keepalive: true, credentials: 'omit' })
      return { _status: response.status, _retryAfter: parseRetryAfter(response.headers.get('retry-after')) }
    },
    _beacon(body) {
      try {
        return navigator.sendBeacon(url, body)
      } catch {
        return false
      }
    },
  }
}
