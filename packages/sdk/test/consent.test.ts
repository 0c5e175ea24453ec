import { describe, expect, it } from 'vitest'
import { createRedactor } from '../src/core/redact.js'
import { pageTracker } from './capture-helpers.js'

describe('consent', () => {
  it('pending: keeps calls in memory, stores nothing, then builds them with the stored identity once granted', async () => {
    const { tracker, storage, store, events } = pageTracker([], { consent: 'pending' })
    tracker.identify('u1', { plan: 'pro' })
    tracker.track('Early')
    await Promise.resolve()
    expect(storage.map.size).toBe(0)
    expect(await store.load()).toEqual([])
    expect(await events()).toEqual([])
    tracker.consent({ analytics: true })
    const sent = await events()
    expect(sent.map((e) => e.event ?? e.type)).toEqual(['identify', 'Early'])
    expect(sent[1]).toMatchObject({ userId: 'u1', context: { traits: { plan: 'pro' } } })
    expect(storage.map.get('spoor.uid')).toBe('u1')
  })

  it('denied by default: records nothing', async () => {
    const { tracker, events, storage } = pageTracker([], { consent: 'denied' })
    tracker.track('Nothing')
    expect(await events()).toEqual([])
    expect(storage.map.size).toBe(0)
  })

  it('revoked: empties the queue and erases stored identifiers; a new grant starts a new identity', async () => {
    const { tracker, storage, store, events, fake } = pageTracker()
    // The page's first event leaves at once; what follows waits in the queue.
    tracker.track('First')
    await events()
    fake.sent.length = 0
    tracker.identify('u1')
    const before = storage.map.get('spoor.aid')
    tracker.track('Queued')
    await Promise.resolve()
    tracker.consent({ analytics: false })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(await store.load()).toEqual([])
    expect(storage.map.size).toBe(0)
    expect(await events()).toEqual([])
    tracker.consent({ analytics: true })
    tracker.track('After')
    const [after] = await events()
    expect(after!.userId).toBeUndefined()
    expect(after!.anonymousId).not.toBe(before)
  })

  it('tells plugins whether they may store', () => {
    const { tracker } = pageTracker([], { consent: 'pending' })
    expect(tracker.persist()).toBe(false)
    tracker.consent({ analytics: true })
    expect(tracker.persist()).toBe(true)
    tracker.consent({ analytics: false })
    expect(tracker.persist()).toBe(false)
  })
})

describe('createRedactor', () => {
  it('redacts secret and personal parameters in the query and the fragment, and any value holding an @', () => {
    const redact = createRedactor(['order_ref'])
    expect(
      redact(
        'https://s.example/p?q=tea&email=a%40b.c&Password=x&api_key=k&utm_source=news&order_ref=9#access_token=t&x=1',
      ),
    ).toBe(
      'https://s.example/p?q=tea&email=redacted&Password=redacted&api_key=redacted&utm_source=news&order_ref=redacted#access_token=redacted&x=1',
    )
    expect(redact('?u=ada@example.com&page=2')).toBe('?u=redacted&page=2')
    expect(redact('https://s.example/plain')).toBe('https://s.example/plain')
  })
})
