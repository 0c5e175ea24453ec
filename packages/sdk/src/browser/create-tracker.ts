import { inSnippet } from '../core/build-flags.js'
import type { Plugin } from '../core/plugin.js'
import type { QueueLimits } from '../core/queue.js'
import type { SendOptions } from '../core/sender.js'
import { type ConsentState, type CoreOptions, createTrackerCore, type Tracker } from '../core/tracker.js'
import { version } from '../version.js'
import { createFetchTransport } from './fetch-transport.js'
import { createIdbStore } from './idb-store.js'
import { onPageLifecycle } from './on-page-lifecycle.js'
import { createPageContext } from './page-context.js'
import { redaction } from './redaction.js'
import { deviceTimeZone } from './time-zone.js'
import { createWebLock } from './web-lock.js'

export interface TrackerOptions extends SendOptions {
  /** The site's write key, from the collector's config. */
  writeKey: string
  /** The collector's base URL, e.g. `https://t.example.com`. */
  endpoint: string
  /** Plugins to add right away (same as calling `use` for each). */
  plugins?: Plugin[]
  /** Queue caps: most events (1,000), bytes (2 MB) and age (7 days). */
  queue?: QueueLimits
  /** Consent until the visitor chooses (default `granted`); `pending` keeps everything in memory until then. */
  consent?: ConsentState
  /** Honour Global Privacy Control: a browser that sends it starts as `denied` (default true). */
  gpc?: boolean
  /** Store nothing on the device (no localStorage, no IndexedDB): identity and queue last as long as the page. */
  cookieless?: boolean
  /**
   * More URL parameter names to redact in the browser, besides the defaults (email, token, password, …). The
   * collector redacts every URL again with the defaults and the site's `redact` names from its config.
   */
  redact?: string[]
}

/**
 * Creates a browser tracker: events are kept in IndexedDB until the collector acknowledged them, sent in batches
 * by `fetch`, and handed to `sendBeacon` when the page is hidden or left.
 *
 * @example
 * import { createTracker, pageviews } from '@spoor/sdk'
 * const spoor = createTracker({ writeKey: 'KEY', endpoint: 'https://t.example.com', plugins: [pageviews()] })
 * spoor.track('Signed Up', { plan: 'pro' })
 */
export function createTracker(options: TrackerOptions): Tracker {
  // Server-side rendering evaluates an app's modules where there is no page: reading `navigator` threw there, and
  // in a worker (which has one) the first event threw on `screen`. There the tracker is refused consent for good:
  // it records, stores and sends nothing (so it needs no store, transport or lock), and sets no plugin up. A tag
  // only ever runs in a page.
  if (!inSnippet && typeof document == 'undefined') {
    const inert = createTrackerCore({ consent: 'denied' } as CoreOptions)
    return Object.assign(inert, { consent() {}, use: () => inert })
  }
  const name = 'spoor:' + options.writeKey
  const memory = options.cookieless
  let zone: () => string | null
  const tracker = createTrackerCore({
    ...options,
    // Global Privacy Control is a legal opt-out under CCPA/CPRA; a later explicit consent() call still decides.
    consent:
      options.gpc != false && (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl
        ? 'denied'
        : options.consent,
    store: memory ? undefined : createIdbStore(name),
    transport: createFetchTransport(options.endpoint.replace(/\/$/, '') + '/v1/batch'),
    lock: createWebLock(name),
    storage: memory ? undefined : () => localStorage,
    context: createPageContext(),
    // The time zone goes once per batch: the collector puts it on each event.
    batchContext: () => ({ timezone: zone() ?? undefined }),
    library: { name: 'spoor', version },
  })
  zone = deviceTimeZone(tracker.storage)
  // The collector redacts every sender's URLs before anything is written. The npm SDK redacts them in the browser
  // too, first of all plugins; the script tag leaves it to the collector (130 brotli bytes of spoor.js, and a
  // pattern over every URL of every event): its URLs go only to the site's own collector, as they went to the
  // site's server when the page was requested.
  if (!inSnippet) tracker.use(redaction(options.redact))
  onPageLifecycle(tracker)
  for (const plugin of options.plugins ?? []) tracker.use(plugin)
  return tracker
}
