import type { Envelope } from '@spoor/protocol'
import { redaction } from '../src/browser/redaction.js'
import { createMemoryStore } from '../src/core/memory-store.js'
import type { Plugin } from '../src/core/plugin.js'
import { type ConsentState, createTrackerCore } from '../src/core/tracker.js'
import { fakeTransport, memoryKeyValue, noLock } from './fakes.js'

/** A core tracker with the page's context, plugins, and everything it would send collected in `events()`. */
export function pageTracker(
  plugins: Plugin[] = [],
  options: { consent?: ConsentState; storage?: ReturnType<typeof memoryKeyValue> } = {},
) {
  const fake = fakeTransport()
  const storage = options.storage ?? memoryKeyValue()
  const store = createMemoryStore()
  const tracker = createTrackerCore({
    writeKey: 'KEY',
    store,
    transport: fake.transport,
    lock: noLock,
    storage: () => storage,
    library: { name: 'spoor', version: 'test' },
    consent: options.consent,
    context: () => ({
      page: {
        path: location.pathname,
        search: location.search,
        url: location.href,
        title: document.title,
      },
    }),
    flushInterval: 60_000,
  })
  // As the npm SDK's createTracker: URLs redacted first of all plugins.
  for (const plugin of [redaction(), ...plugins]) tracker.use(plugin)
  const events = async (): Promise<Envelope[]> => {
    await tracker.flush()
    return fake.sent.flatMap((s) => s.events)
  }
  return { tracker, storage, store, events, fake }
}

export const tick = () => new Promise((resolve) => setTimeout(resolve, 0))
