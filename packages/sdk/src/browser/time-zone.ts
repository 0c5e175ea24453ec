import type { GatedKeyValue } from '../core/gated-key-value.js'

/**
 * The device's IANA time zone, found once per device and remembered (`spoor.tz`, behind the consent gate); the
 * returned function gives it once known. Reading it takes the browser's first `Intl` object, which loads its locale
 * and time-zone data: 30–110 ms of main thread in Chromium, a long task on every page that read it. It is read in a
 * worker instead, a thread of its own, on a device's first visit only, and nothing waits for it: batches carry it
 * once known, and the collector puts the zone it last heard of for a visitor on their events without one. Where no
 * worker may start (a Content-Security-Policy without `data:` workers), the events go without it.
 */
export function deviceTimeZone(storage: GatedKeyValue): () => string | null {
  let zone = storage._get('spoor.tz')
  try {
    // A data: URL, so the worker needs no file of its own; it ends itself once it has answered.
    if (!zone)
      new Worker('data:,postMessage(Intl.DateTimeFormat().resolvedOptions().timeZone);close()').onmessage = ({
        data,
        // biome-ignore lint/suspicious/noAssignInExpressions: assigned as stored: 4 B over spoor.js, 2 B over spoor.full.js
      }) => storage._set('spoor.tz', (zone = data))
  } catch {}
  return () => zone
}
