import type { Plugin } from '../core/plugin.js'
import type { QueueLimits } from '../core/queue.js'
import type { SendOptions } from '../core/sender.js'
import { createTrackerCore, type Tracker } from '../core/tracker.js'
import { version } from '../version.js'
import { createFetchTransport } from './fetch-transport.js'
import { createIdbStore } from './idb-store.js'
import { createLocalKeyValue } from './local-key-value.js'
import { onHidden } from './on-hidden.js'
import { createPageContext } from './page-context.js'
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
}

/**
 * Creates a browser tracker: events are kept in IndexedDB until the collector acknowledged them, sent in batches
 * by `fetch`, and handed to `sendBeacon` when the page is hidden or left.
 *
 * @example
 * import { createTracker } from '@spoor/sdk'
 * const spoor = createTracker({ writeKey: 'KEY', endpoint: 'https://t.example.com' })
 * spoor.page()
 * spoor.track('Signed Up', { plan: 'pro' })
 */
export function createTracker(options: TrackerOptions): Tracker {
  const name = 'spoor:' + options.writeKey
  const tracker = createTrackerCore({
    ...options,
    store: createIdbStore(name),
    transport: createFetchTransport(options.endpoint.replace(/\/$/, '') + '/v1/batch'),
    lock: createWebLock(name),
    storage: createLocalKeyValue(),
    context: createPageContext(),
    library: { name: 'spoor', version },
  })
  onHidden(tracker._hide)
  // Back online, or back on the page: a good moment for whatever is still waiting.
  addEventListener('online', () => void tracker.flush())
  addEventListener('pageshow', (event) => event.persisted && void tracker.flush())
  // What earlier pages left in the queue goes out soon after start, off the page's critical path.
  setTimeout(() => void tracker.flush(), 1000)
  for (const plugin of options.plugins ?? []) tracker.use(plugin)
  return tracker
}
