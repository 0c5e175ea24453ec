import { describe, expect, it, vi } from 'vitest'
import { createMemoryStore } from '../src/core/memory-store.js'
import type { Plugin } from '../src/core/plugin.js'
import { createTrackerCore } from '../src/core/tracker.js'
import { fakeTransport, memoryKeyValue, noLock } from './fakes.js'

function setup(storage = memoryKeyValue()) {
  const fake = fakeTransport()
  const tracker = createTrackerCore({
    writeKey: 'KEY',
    store: createMemoryStore(),
    transport: fake.transport,
    lock: noLock,
    storage: () => storage,
    library: { name: 'spoor', version: '9.9.9' },
    context: () => ({ page: { path: '/p', url: 'https://s.example/p', title: 'P' }, locale: 'fr-FR' }),
  })
  const events = async () => {
    await tracker.flush()
    return fake.sent.flatMap((s) => s.events)
  }
  return { tracker, storage, events, sent: fake.sent }
}

describe('tracker', () => {
  it('builds Segment envelopes with ids, times and context', async () => {
    const { tracker, events, sent } = setup()
    tracker.track('Signed Up', { plan: 'pro' })
    const [event] = await events()
    expect(event).toMatchObject({
      type: 'track',
      event: 'Signed Up',
      properties: { plan: 'pro' },
      context: { library: { name: 'spoor', version: '9.9.9' }, locale: 'fr-FR', page: { path: '/p' } },
    })
    expect(event!.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(event!.anonymousId).toMatch(/^[0-9a-f-]{36}$/)
    expect(Date.parse(event!.originalTimestamp!)).toBeLessThanOrEqual(Date.parse(sent[0]!.body.sentAt))
  })

  it('gives events of one millisecond times in their call order, none after the batch was sent', async () => {
    const { tracker, events, sent } = setup()
    const now = vi.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-12-07T10:00:00.000Z'))
    for (const name of ['First', 'Second', 'Third']) tracker.track(name)
    const times = (await events()).map((e) => Date.parse(e.originalTimestamp!))
    now.mockRestore()
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(new Set(times).size).toBe(3)
    expect(Date.parse(sent[0]!.body.sentAt)).toBeGreaterThanOrEqual(times[2]!)
  })

  it('sends a page event with the page in its context and the caller’s properties (the collector adds the page fields)', async () => {
    const { tracker, events } = setup()
    tracker.page('Home', { section: 'top' })
    const [page] = await events()
    expect(page).toMatchObject({
      type: 'page',
      name: 'Home',
      properties: { section: 'top' },
      context: { page: { path: '/p', title: 'P' } },
    })
    expect(page!.properties).not.toHaveProperty('path')
  })

  it('keeps identity across reloads, adds traits to later events, and forgets it on reset', async () => {
    const storage = memoryKeyValue()
    const first = setup(storage)
    first.tracker.identify('u1', { email: 'ada@example.com' })
    const [identify] = await first.events()
    const reloaded = setup(storage)
    reloaded.tracker.track('Came Back')
    const [later] = await reloaded.events()
    expect(later).toMatchObject({
      userId: 'u1',
      anonymousId: identify!.anonymousId,
      context: { traits: { email: 'ada@example.com' } },
    })
    reloaded.tracker.reset()
    reloaded.tracker.track('After Reset')
    const after = (await reloaded.events()).at(-1)!
    expect(after.userId).toBeUndefined()
    expect(after.anonymousId).not.toBe(identify!.anonymousId)
    expect(after.context!.traits).toBeUndefined()
  })

  it('lets plugins change or drop events and tears them down', async () => {
    const { tracker, events } = setup()
    let tornDown = false
    const plugin: Plugin = {
      name: 'test',
      setup: () => () => (tornDown = true),
      enrich: (event) =>
        event.event === 'Secret' ? null : { ...event, properties: { ...event.properties, seen: true } },
    }
    tracker.use(plugin)
    tracker.track('Secret')
    tracker.track('Public')
    expect((await events()).map((e) => [e.event, e.properties!.seen])).toEqual([['Public', true]])
    tracker.destroy()
    expect(tornDown).toBe(true)
  })
})
