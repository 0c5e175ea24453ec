import type { Context, Envelope, EventType, JsonObject } from '@spoor/protocol'
import type { KeyValue, Lock, Store, Transport } from './contracts.js'
import { createIdentity } from './identity.js'
import type { Plugin } from './plugin.js'
import { createQueue, type QueueLimits } from './queue.js'
import { createSender, type SendOptions } from './sender.js'
import { uuid } from './uuid.js'

export type Properties = JsonObject

/** The tracker's public API: what the snippet's `spoor('method', …)` and `@spoor/sdk` users call. */
export interface Tracker {
  /** Records an action: `track('Signed Up', { plan: 'pro' })`. */
  track(event: string, properties?: Properties): void
  /** Records a page view; page fields (url, path, title, referrer, search) are added for you. */
  page(name?: string, properties?: Properties): void
  /** Says who the visitor is (when `userId` is given) and what is known of them; both persist across visits. */
  identify(userId?: string | null, traits?: Properties): void
  /** Sends everything waiting now; resolves when the collector answered or a retry was scheduled. */
  flush(): Promise<void>
  /** Forgets the user, traits and anonymous id (sign-out); events already queued are still delivered. */
  reset(): void
  /** Adds a plugin. */
  use(plugin: Plugin): Tracker
  /** Removes every plugin's listeners. */
  destroy(): void
  /** Events dropped so far (expired, over the queue caps, refused by the collector). */
  dropped(): number
}

/** The parts the environment supplies. Browsers get them from `createTracker` in `@spoor/sdk`. */
export interface CoreOptions extends SendOptions {
  writeKey: string
  store: Store
  transport: Transport
  lock: Lock
  storage: KeyValue
  /** The environment's context for each event (page, locale, screen, …). */
  context?: () => Context
  library: { name: string; version: string }
  queue?: QueueLimits
}

/** A {@link Tracker} plus the hooks its environment drives. */
export interface CoreTracker extends Tracker {
  /** The page is hidden or leaving: hand what waits to beacons. */
  _hide(): void
}

/**
 * The environment-free tracker: identity, plugins, queue and sender wired together.
 *
 * @example
 * const tracker = createTrackerCore({ writeKey, store: createMemoryStore(), transport, lock, storage, library })
 * tracker.track('Signed Up', { plan: 'pro' })
 */
export function createTrackerCore(options: CoreOptions): CoreTracker {
  const identity = createIdentity(options.storage)
  const queue = createQueue(options.store, options.queue)
  const sender = createSender(queue, options.transport, options.lock, options.writeKey, options)
  const plugins: Plugin[] = []
  const teardowns: (() => void)[] = []

  const record = (type: EventType, fields: Partial<Envelope>) => {
    const traits = identity._traits()
    let event: Envelope | null = {
      type,
      ...fields,
      messageId: uuid(),
      anonymousId: identity._anonymousId(),
      userId: identity._userId(),
      context: { ...options.context?.(), library: options.library },
      originalTimestamp: new Date().toISOString(),
    }
    if (Object.keys(traits).length) event.context!.traits = traits
    // Segment puts the page's fields in a page event's properties too, where reports look for them.
    if (type === 'page') event.properties = { ...event.context!.page, ...fields.properties }
    for (const plugin of plugins) {
      if (event && plugin.enrich) event = plugin.enrich(event)
    }
    if (!event) return
    queue._add(event)
    sender._schedule()
  }

  const tracker: CoreTracker = {
    track: (event, properties) => record('track', { event, properties: properties ?? {} }),
    page: (name, properties) => record('page', { name, properties: properties ?? {} }),
    identify(userId, traits) {
      identity._identify(userId ?? undefined, traits)
      record('identify', { traits: traits ?? {} })
    },
    flush: () => sender._flush(),
    reset: () => identity._reset(),
    use(plugin) {
      plugins.push(plugin)
      const teardown = plugin.setup?.(tracker)
      if (teardown) teardowns.push(teardown)
      return tracker
    },
    destroy() {
      for (const teardown of teardowns.splice(0)) teardown()
    },
    dropped: () => queue._dropped,
    _hide: () => sender._hide(),
  }
  return tracker
}
