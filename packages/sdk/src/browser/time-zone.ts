import type { GatedKeyValue } from '../core/gated-key-value.js'

/**
 * The device's IANA time zone, found once per device and remembered (`spoor.tz`, behind the consent gate); the
 * returned function gives it once known. Reading it takes the browser's first `Intl` object, which loads its locale
 * and time-zone data: 15–110 ms of main thread in Chromium. So it is read on a device's first visit only, once the
 * page is idle (a task later where there is no `requestIdleCallback`: Safari before 18.2), and nothing waits for it:
 * batches carry it once known, and the collector puts the zone it last heard of for a visitor on their events
 * without one. Not in a worker: a `data:` worker is a script to the page's Content-Security-Policy, and a strict one
 * (no `data:` in `worker-src` or `script-src`) logged an error for it on every page, and the zone was never known.
 */
export function deviceTimeZone(storage: GatedKeyValue): () => string | null {
  let zone = storage._get('spoor.tz')
  if (!zone)
    (window.requestIdleCallback || setTimeout)(() => {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone
      storage._set('spoor.tz', zone)
    })
  return () => zone
}
