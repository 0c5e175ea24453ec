import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SendResult } from '../src/core/contracts.js'
import { createMemoryStore } from '../src/core/memory-store.js'
import { createQueue } from '../src/core/queue.js'
import { createSender, type SendOptions } from '../src/core/sender.js'
import { event, fakeTransport, noLock, sharedLock } from './fakes.js'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

async function setup(answers: (SendResult | 'network-error')[] = [], options: SendOptions = {}) {
  const store = createMemoryStore()
  const queue = createQueue(store)
  const fake = fakeTransport(answers)
  const sender = createSender(queue, fake.transport, noLock, 'KEY', options)
  // The page's first event leaves at once (its own test below): these tests start after it.
  sender._schedule()
  await vi.advanceTimersByTimeAsync(0)
  const add = (n: number, extra = {}) => {
    queue._add(event(n, extra))
    sender._schedule()
  }
  return { store, queue, sender, add, ...fake }
}

describe('sender', () => {
  it('sends the page’s first event at once, with this page’s own only: what earlier pages stored waits for a later send', async () => {
    const store = createMemoryStore()
    await store.write([{ id: 'm0', event: event(0), size: 10, at: Date.now() }], [])
    const queue = createQueue(store)
    const fake = fakeTransport()
    const sender = createSender(queue, fake.transport, noLock, 'KEY', {
      flushInterval: 2000,
      batchContext: () => ({ timezone: 'Europe/Paris' }),
    })
    queue._add(event(1))
    sender._schedule()
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.sent.map((s) => s.events.map((e) => e.messageId))).toEqual([['m1']])
    // The batch's context goes once, for all its events.
    expect(fake.sent[0]!.body).toMatchObject({ context: { timezone: 'Europe/Paris' } })
    queue._add(event(2))
    sender._schedule()
    await vi.advanceTimersByTimeAsync(2000)
    expect(fake.sent.map((s) => s.events.map((e) => e.messageId))).toEqual([['m1'], ['m0', 'm2']])
  })

  it('sends a batch after the interval, with sentAt and the write key, and forgets it once acknowledged', async () => {
    const { add, sent, store } = await setup([], { flushInterval: 2000 })
    add(1)
    add(2)
    await vi.advanceTimersByTimeAsync(1999)
    expect(sent).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(sent).toHaveLength(1)
    expect(sent[0]!.body).toMatchObject({ writeKey: 'KEY', sentAt: expect.any(String) })
    expect(sent[0]!.events.map((e) => e.messageId)).toEqual(['m1', 'm2'])
    // One sentAt per batch, which the collector gives to each of its events.
    expect(sent[0]!.events[0]!.sentAt).toBeUndefined()
    expect(await store.load()).toEqual([])
  })

  it('sends at once when flushAt events wait', async () => {
    const { add, sent } = await setup([], { flushAt: 3 })
    add(1)
    add(2)
    add(3)
    await vi.advanceTimersByTimeAsync(0)
    expect(sent).toHaveLength(1)
  })

  it('splits what waits into batches by count (100) and bytes', async () => {
    const { add, sent, sender } = await setup([], { batchBytes: 100_000, flushAt: 1000 })
    for (let i = 0; i < 250; i++) add(i)
    await sender._flush()
    expect(sent.map((s) => s.events.length)).toEqual([100, 100, 50])
    const big = await setup([], { batchBytes: 1000 })
    for (let i = 0; i < 4; i++) big.add(i, { properties: { pad: 'x'.repeat(300) } })
    await big.sender._flush()
    expect(big.sent.map((s) => s.events.length)).toEqual([2, 2])
  })

  it('keeps events through 5xx and network failures and retries with the same messageId', async () => {
    const { add, sent, sender, store } = await setup([{ httpStatus: 503 }, 'network-error', { httpStatus: 500 }])
    add(1)
    await sender._flush()
    expect(await store.load()).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(sent).toHaveLength(4)
    expect(new Set(sent.map((s) => s.events[0]!.messageId))).toEqual(new Set(['m1']))
    expect(await store.load()).toEqual([])
  })

  it('waits as long as Retry-After says on 429 and 503', async () => {
    const { add, sent, sender } = await setup([{ httpStatus: 429, retryAfter: 30_000 }])
    add(1)
    await sender._flush()
    await vi.advanceTimersByTimeAsync(29_999)
    expect(sent).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(sent).toHaveLength(2)
  })

  it('retries 408 and 429, but drops and counts events refused with another 4xx', async () => {
    const { add, sender, sent, queue, store } = await setup([{ httpStatus: 408 }, { httpStatus: 400 }])
    add(1)
    await sender._flush()
    await vi.advanceTimersByTimeAsync(1000)
    expect(sent).toHaveLength(2)
    expect(queue._dropped).toBe(1)
    expect(await store.load()).toEqual([])
  })

  it('grows the backoff ceiling exponentially, with jitter under it', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.999)
    const { add, sender, sent } = await setup(Array(5).fill({ httpStatus: 503 }))
    add(1)
    await sender._flush()
    const times: number[] = []
    for (let t = 0; t < 40_000; t += 100) {
      const before = sent.length
      await vi.advanceTimersByTimeAsync(100)
      if (sent.length > before) times.push(t + 100)
    }
    // Ceilings 1 s, 2 s, 4 s, 8 s: each retry comes just under its ceiling after the last.
    const gaps = times.map((t, i) => t - (times[i - 1] ?? 0))
    expect(gaps.slice(0, 4)).toEqual([1000, 2000, 4000, 8000])
    random.mockRestore()
  })
})

describe('sender on page hide', () => {
  it("beacons this page's waiting events in chunks within the 64 KiB budget, leaving the rest queued", async () => {
    // No send by fetch may get in the way: only the beacons run.
    const { add, sender, beacons, queue } = await setup([], { flushInterval: 60_000, flushAt: 1000 })
    for (let i = 0; i < 20; i++) add(i, { properties: { pad: 'x'.repeat(5000) } })
    sender._hide(false)
    const total = beacons.reduce((sum, b) => sum + b.bytes, 0)
    expect(beacons.length).toBeGreaterThan(1)
    expect(total).toBeLessThanOrEqual(60_000)
    expect(beacons.every((b) => b.bytes <= 48_000)).toBe(true)
    // Beacons get no answer: everything stays queued until a fetch is acknowledged.
    expect((await queue._load()).length).toBe(20)
    const beaconed = beacons.flatMap((b) => b.events.map((e) => e.messageId))
    expect(beaconed).toEqual(Array.from({ length: beaconed.length }, (_, i) => `m${i}`))
  })

  it('stops when the browser refuses a beacon', async () => {
    const { add, sender, beacons, refuseBeacons } = await setup()
    add(1)
    refuseBeacons()
    sender._hide(false)
    expect(beacons).toHaveLength(0)
  })

  it('beacons an event once, though visibilitychange and pagehide both fire', async () => {
    const { add, sender, beacons } = await setup()
    add(1)
    sender._hide(false)
    add(2)
    sender._hide(false)
    expect(beacons.map((b) => b.events.map((e) => e.messageId))).toEqual([['m1'], ['m2']])
  })

  it('leaves out events already in flight by fetch', async () => {
    let release!: () => void
    const { add, sender, beacons, transport } = await setup()
    const send = transport.send
    transport.send = (body) => new Promise((resolve) => (release = () => resolve(send(body))))
    add(1)
    const flushing = sender._flush()
    await vi.advanceTimersByTimeAsync(0)
    add(2)
    sender._hide(false)
    expect(beacons.flatMap((b) => b.events.map((e) => e.messageId))).toEqual(['m2'])
    release()
    await flushing
  })
})

describe('sender and page hide, in either order', () => {
  it('does not fetch what a hide beaconed while the send was reading the queue', async () => {
    const { add, sender, sent, beacons, store } = await setup([], { flushAt: 1000 })
    add(1)
    const flushing = sender._flush()
    // The page is hidden before the send has read the queue.
    sender._hide(false)
    await flushing
    expect(beacons.flatMap((b) => b.events.map((e) => e.messageId))).toEqual(['m1'])
    expect(sent).toHaveLength(0)
    // Beacons get no answer: it stays queued, and goes by fetch once the page is shown again.
    expect((await store.load()).map((e) => e.id)).toEqual(['m1'])
    sender._hide(true)
    await sender._flush()
    expect(sent.flatMap((s) => s.events.map((e) => e.messageId))).toEqual(['m1'])
  })

  it('does not beacon a batch whose fetch failed (the browser fails it as the page is left, keepalive may not)', async () => {
    const { add, sender, beacons } = await setup(['network-error'])
    add(1)
    await sender._flush()
    sender._hide(false)
    expect(beacons).toHaveLength(0)
  })

  it('sends what was tracked during a send right after it, when the interval has passed meanwhile', async () => {
    const { add, transport } = await setup([], { flushInterval: 2000 })
    const calls: string[][] = []
    let release!: () => void
    // The first answer comes only when released; the others at once.
    transport.send = async (body) => {
      calls.push(JSON.parse(body).batch.map((e: { messageId: string }) => e.messageId))
      if (calls.length === 1) await new Promise<void>((resolve) => (release = resolve))
      return { httpStatus: 200 }
    }
    add(1)
    await vi.advanceTimersByTimeAsync(2000)
    expect(calls).toEqual([['m1']])
    add(2)
    // m2's 2 s pass while the first answer is still awaited.
    await vi.advanceTimersByTimeAsync(3000)
    expect(calls).toEqual([['m1']])
    release()
    await vi.advanceTimersByTimeAsync(0)
    expect(calls).toEqual([['m1'], ['m2']])
  })
})

describe('two tabs', () => {
  it('never send the same queued event at the same time', async () => {
    const store = createMemoryStore()
    const lock = sharedLock()
    const inFlight = new Set<string>()
    const overlaps: string[] = []
    const sent: string[] = []
    const tab = () => {
      const queue = createQueue(store)
      const sender = createSender(
        queue,
        {
          async send(body) {
            const ids: string[] = JSON.parse(body).batch.map((e: { messageId: string }) => e.messageId)
            for (const id of ids) {
              if (inFlight.has(id)) overlaps.push(id)
              inFlight.add(id)
            }
            await new Promise((r) => setTimeout(r, 50))
            for (const id of ids) inFlight.delete(id)
            sent.push(...ids)
            return { httpStatus: 200 }
          },
          beacon: () => true,
        },
        lock,
        'KEY',
      )
      return { queue, sender }
    }
    const a = tab()
    const b = tab()
    for (let i = 0; i < 10; i++) (i % 2 ? a : b).queue._add(event(i))
    const both = Promise.all([a.sender._flush(), b.sender._flush(), a.sender._flush()])
    await vi.advanceTimersByTimeAsync(1000)
    await both
    expect(overlaps).toEqual([])
    expect(sent.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`).sort())
  })
})
