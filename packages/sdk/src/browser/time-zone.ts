import type { GatedKeyValue } from '../core/gated-key-value.js'

/** The device's time zone, as {@link deviceTimeZone} finds it. */
export interface DeviceTimeZone {
  /** The IANA name, once known. */
  _zone: string | null
  /** Resolves once the name is known, or after `wait` ms. */
  _ready: unknown
}

/**
 * The device's IANA time zone, found once per device and remembered (`spoor.tz`, behind the consent gate). Reading
 * it needs the browser's first `Intl` object, which loads its locale and time-zone data: 30–110 ms of main thread
 * in Chromium, a long task on every page that read it. It is read in a worker instead, a thread of its own, on a
 * device's first visit only. Where no worker may start (a Content-Security-Policy without `blob:` workers), the
 * events go without it, and the collector puts on them the zone it last heard of for the visitor, if any.
 *
 * @param wait ms the first send may wait for it (default 300)
 */
export function deviceTimeZone(storage: GatedKeyValue, wait = 300): DeviceTimeZone {
  const known = storage._get('spoor.tz')
  const zone: DeviceTimeZone = {
    _zone: known,
    _ready:
      known ||
      new Promise((resolve) => {
        setTimeout(resolve, wait)
        try {
          // The worker ends itself once it has answered.
          const source = 'postMessage(Intl.DateTimeFormat().resolvedOptions().timeZone);close()'
          new Worker(URL.createObjectURL(new Blob([source]))).onmessage = ({ data }) => resolve(storage._set('spoor.tz', (zone._zone = data)))
        } catch {}
      }),
  }
  return zone
}
