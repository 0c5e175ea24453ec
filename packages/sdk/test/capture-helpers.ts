import type { Envelope } from '@spoor/protocol'
import { createMemoryStore } from '../src/core/memory-store.js'
import type { Plugin } from '../src/core/plugin.js'
import { createRedactor } from '../src/core/redact.js'
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
  const redact = createRedactor()
  const tracker = createTrackerCore({
    writeKey: 'KEY',
    store,
    transport: fake.transport,
    lock: noLock,
    storage: () => storage,
    library: { name: 'spoor', version: 'test' },
    consent: options.consent,
    redact,
    context: () => ({
      page: {
        path: location.pathname,
        search: redact(location.search),
        url: redact(location.href),
        title: document.title,
      },
    }),
    flushInterval: 60_000,
  })
  for (const plugin of plugins) tracker.use(plugin)
  const events = async (): Promise<Envelope[]> => {
    await tracker.flush()
    return fake.sent.flatMap((s) => s.events)
  }
  return { tracker, storage, store, events, fake }
}

export const tick = () => new Promise((resolve) => setTimeout(resolve, 0))
