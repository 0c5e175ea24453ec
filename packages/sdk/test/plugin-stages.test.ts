import type { Envelope } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { createMemoryStore } from '../src/core/memory-store.js'
import type { Plugin, PluginStage } from '../src/core/plugin.js'
import { createTrackerCore } from '../src/core/tracker.js'
import { fakeTransport, memoryKeyValue, noLock } from './fakes.js'

function setup() {
  const fake = fakeTransport()
  const tracker = createTrackerCore({
    writeKey: 'KEY',
    store: createMemoryStore(),
    transport: fake.transport,
    lock: noLock,
    storage: () => memoryKeyValue(),
    library: { name: 'spoor', version: '9.9.9' },
  })
  const events = async () => {
    await tracker.flush()
    return fake.sent.flatMap((s) => s.events)
  }
  return { tracker, events }
}

/** A plugin that appends its name to the event's `seen` property, and remembers the `seen` it was given. */
function marker(name: string, stage?: PluginStage) {
  const given: unknown[] = []
  const plugin: Plugin = {
    name,
    ...(stage && { stage }),
    enrich(event) {
      const seen = (event.properties?.seen as string[] | undefined) ?? []
      given.push(seen)
      return { ...event, properties: { ...event.properties, seen: [...seen, name] } }
    },
  }
  return { plugin, given }
}

describe('plugin stages', () => {
  it('run before, then enrichment, then after, whatever the order they were added in', async () => {
    const { tracker, events } = setup()
    const after = marker('after', 'after')
    const enrichment = marker('enrichment', 'enrichment')
    const before = marker('before', 'before')
    tracker.use(after.plugin).use(enrichment.plugin).use(before.plugin)
    tracker.track('Signed Up')
    const [event] = await events()
    expect(before.given).toEqual([[]])
    expect(enrichment.given).toEqual([['before']])
    expect(after.given).toEqual([['before', 'enrichment']])
    // What an `after` plugin returns is not the event: it observes the final one.
    expect(event!.properties).toEqual({ seen: ['before', 'enrichment'] })
  })

  it('treat a plugin without a stage as enrichment, and keep the order added within a stage', async () => {
    const { tracker, events } = setup()
    const first = marker('first')
    const late = marker('late-before', 'before')
    const second = marker('second', 'enrichment')
    tracker.use(first.plugin).use(second.plugin).use(late.plugin)
    tracker.track('Signed Up')
    const [event] = await events()
    expect(event!.properties).toEqual({ seen: ['late-before', 'first', 'second'] })
  })

  it('stop the others when a before plugin drops the event, and an after plugin cannot drop it', async () => {
    const { tracker, events } = setup()
    const enrichment = marker('enrichment')
    const after = marker('after', 'after')
    const dropper: Plugin = {
      name: 'drop-bots',
      stage: 'before',
      enrich: (e: Envelope) => (e.event === 'Bot' ? null : e),
    }
    const eraser: Plugin = { name: 'eraser', stage: 'after', enrich: () => null }
    tracker.use(enrichment.plugin).use(after.plugin).use(eraser).use(dropper)
    tracker.track('Bot')
    tracker.track('Human')
    expect((await events()).map((e) => e.event)).toEqual(['Human'])
    expect(enrichment.given).toEqual([[]])
    expect(after.given).toEqual([['enrichment']])
  })
})
