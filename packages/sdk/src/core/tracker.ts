import type { Context, Envelope, EventType, JsonObject } from '@spoor/protocol'
import { inSnippet } from './build-flags.js'
import { eventTime } from './clock.js'
import type { KeyValue, Lock, Store, Transport } from './contracts.js'
import { createGatedKeyValue, type GatedKeyValue } from './gated-key-value.js'
import { createIdentity, type Identity } from './identity.js'
import type { Plugin, PluginStage } from './plugin.js'
import { createQueue, type QueueLimits } from './queue.js'
import { type BatchOptions, createSender, type SendOptions } from './sender.js'
import { toJson } from './to-json.js'
import { uuid } from './uuid.js'

export type Properties = JsonObject

/**
 * Where the visitor stands on analytics: `granted` records and stores, `denied` records nothing, `pending` keeps
 * calls in memory (nothing stored, nothing sent) until {@link Tracker.consent} decides.
 */
export type ConsentState = 'granted' | 'denied' | 'pending'

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
  /**
   * Records the visitor's choice. Granting stores and sends what waited in memory; refusing (or revoking) drops
   * it, empties the queue and erases every identifier spoor stored on the device.
   */
  consent(choice: { analytics: boolean }): void
  /** Adds a plugin. */
  use(plugin: Plugin): Tracker
  /**
   * Removes every listener of the tracker and its plugins and sends what waits (not in the script-tag builds, whose
   * page keeps its tracker).
   */
  destroy(): void
  /** Events dropped so far (expired, over the queue caps, refused by the collector). */
  dropped(): number
}

/** What a plugin's `setup` gets: the tracker, plus the internals that capture plugins and helpers share. */
export interface PluginHost extends Tracker {
  /** Records a message of any type (`alias`, `group`, …); the public methods are built on it. */
  record(type: EventType, fields: Partial<Envelope>): void
  identity: Identity
  /** Small synchronous storage (localStorage in browsers) that follows consent: memory only until granted. */
  storage: GatedKeyValue
  /** Whether plugins may keep data on the device right now: consent granted and not memory-only. */
  persist(): boolean
  /**
   * Aborted by `destroy()`: plugins register their listeners with it, so one abort removes them all. Undefined in
   * the script-tag builds.
   */
  lifetime: AbortSignal
}

/** The parts the environment supplies. Browsers get them from `createTracker` in `@spoor/sdk`. */
export interface CoreOptions extends SendOptions, BatchOptions {
  writeKey: string
  /** Where events wait (IndexedDB in browsers). None: nothing is kept on the device, by the queue or by plugins. */
  store?: Store
  transport: Transport
  lock: Lock
  /** The device's small storage, read at each use (`() => localStorage`); none: identity lasts the page. */
  storage?: () => KeyValue
  /** The environment's context for each event (page, locale, screen, …). */
  context?: () => Context
  library: { name: string; version: string }
  queue?: QueueLimits
  /** Consent before the visitor has chosen (default `granted`). */
  consent?: ConsentState
}

/** A {@link PluginHost} plus the hooks its environment drives. */
export interface CoreTracker extends PluginHost {
  /**
   * The page was hidden or left (`true`: what waits goes to beacons) or is visible again. While hidden, each new
   * event leaves by beacon at once: reports made on hide (engagement, web vitals) must not wait for a next visit.
   */
  hide(hidden: boolean): void
}

const stages: PluginStage[] = ['before', 'enrichment', 'after']
/** The position of a plugin's stage in the order plugins run. */
const rank = (plugin: Plugin) => stages.indexOf(plugin.stage ?? 'enrichment')

/**
 * The environment-free tracker: consent, identity, plugins, queue and sender wired together.
 *
 * @example
 * const tracker = createTrackerCore({ writeKey, store: createMemoryStore(), transport, lock, storage, library })
 * tracker.track('Signed Up', { plan: 'pro' })
 */
export function createTrackerCore(options: CoreOptions): CoreTracker {
  let state = options.consent ?? 'granted'
  const storage = createGatedKeyValue(options.storage, state == 'granted')
  const identity = createIdentity(storage)
  const queue = createQueue(options.store, options.queue)
  const sender = createSender(queue, options.transport, options.lock, options.writeKey, options)
  const plugins: Plugin[] = []
  const teardowns: (() => void)[] = []
  // Events recorded while consent is pending: built but for who made them, with the page and time of the call.
  const pending: Envelope[] = []
  let hidden = false
  // The unload copy: a page that goes while its IndexedDB write is still landing (a few ms, or the whole open of a
  // first write) leaves its events in localStorage, written synchronously as it hides; the next page takes them
  // with its first flush of what waits (a second after start), not before: the page that left them may still be
  // beaconing them, and this page's first send would otherwise carry them at the same time.
  // Each page writes its own key, and a page takes only the keys it sees: one shared key, read, extended and
  // written back by every tab, lost what one tab wrote when another took or extended it before seeing the write.
  // The write key quoted (JSON): a key that starts with another site's, `shop` and `shop.eu`, is not its prefix.
  const unload = 'spoor.unload.' + toJson(options.writeKey)
  const pageKey = uuid()

  // Who made the event comes from the identity at the time it is built: while consent is pending the device's
  // storage is out of reach, and an id made up meanwhile must not replace the one a returning visitor has.
  const build = (event: Envelope | null) => {
    identity._fill(event!)
    for (const plugin of plugins)
      if (event && plugin.enrich) {
        const enriched = plugin.enrich(event)
        // An `after` plugin sees the final event: it observes it, it does not change or drop it.
        if (inSnippet || plugin.stage != 'after') event = enriched
      }
    if (event) {
      queue._add(event)
      // While the page is hidden, what is recorded (engagement, web vitals on hide) leaves by beacon at once.
      hidden ? sender._hide() : sender._schedule()
    }
  }

  const host: Omit<CoreTracker, 'destroy' | 'lifetime'> = {
    record(type, fields) {
      const context = { ...options.context?.(), library: options.library }
      const event: Envelope = {
        type,
        ...fields,
        messageId: uuid(),
        context,
        originalTimestamp: new Date(eventTime()).toISOString(),
      }
      if (state == 'pending') pending.push(event)
      else if (state == 'granted') build(event)
    },
    track: (event, properties = {}) => tracker.record('track', { event, properties }),
    page: (name, properties = {}) => tracker.record('page', { name, properties }),
    identify(userId, traits = {}) {
      identity._identify(userId, traits)
      tracker.record('identify', { traits })
    },
    flush: async () => {
      if (state == 'granted') {
        // Only a page with a store leaves copies (see hide), so one without finds none to take.
        storage._take(unload)?.map((copy) => queue._restore(JSON.parse(copy)))
        await sender._flush()
      }
    },
    reset: () => identity._reset(),
    consent({ analytics }) {
      const held = pending.splice(0)
      state = analytics ? 'granted' : 'denied'
      storage._open(analytics)
      if (!analytics) {
        storage._take('spoor.', true)
        void queue._clear()
      }
      if (analytics) held.forEach(build)
    },
    use(plugin) {
      // Placed after every plugin of its stage and of the stages before it. The tags' own plugins have no stage
      // (and a page's cannot be added to a tag), so there the order added is the order run.
      if (inSnippet) plugins.push(plugin)
      else {
        const at = plugins.findIndex((added) => rank(added) > rank(plugin))
        plugins.splice(at < 0 ? plugins.length : at, 0, plugin)
      }
      const teardown = plugin.setup?.(tracker)
      if (!inSnippet && teardown) teardowns.push(teardown)
      return tracker
    },
    dropped: () => queue._dropped,
    identity,
    storage,
    persist: () => state == 'granted' && !!options.store,
    hide(now) {
      // biome-ignore lint/suspicious/noAssignInExpressions: assigned as passed: 1 B over spoor.full.js
      sender._hide(!(hidden = now))
      // Under this page's own key, taken by the next page of any tab (a repeat is harmless: events are taken back
      // by id).
      const mine = queue._unstored()
      if (now && mine.length && state == 'granted' && options.store) storage._set(unload + pageKey, toJson(mine))
    },
  }
  const tracker = host as CoreTracker
  // A tag's page has no use for taking its tracker down (a second tag finds this one and stays out): the script-tag
  // builds leave destroy() out, and plugins' listeners stay for the page's life.
  if (!inSnippet) {
    const controller = new AbortController()
    tracker.lifetime = controller.signal
    tracker.destroy = () => {
      controller.abort()
      for (const teardown of teardowns.splice(0)) teardown()
      // What waits leaves now, the plugins' last reports (made as they were torn down) with it: the page no longer
      // tells a destroyed tracker when it hides, so it would not beacon them, and a memory-only queue dies with it.
      void tracker.flush()
    }
  }
  return tracker
}
