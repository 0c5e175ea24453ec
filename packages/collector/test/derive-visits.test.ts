import { describe, expect, it } from 'vitest'
import { basic, origin, readLines, testApp, writeKey } from '../../../test/support/helpers.js'
import { createBoundedMemory } from '../src/derive/bounded-memory.js'
import { userAgentDataOf } from '../src/derive/client-hints.js'

// The collector sessionises on the corrected timestamp, receivedAt − (sentAt − originalTimestamp): every event here
// is sent at the same client time, so each lies as many minutes before its arrival as the client says it waited.
const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString()
const sent = at(60)
const page = (id: string, minute: number, search = '', extra: object = {}) => ({
  type: 'page',
  messageId: id,
  anonymousId: 'visitor-1',
  originalTimestamp: at(minute),
  sentAt: sent,
  context: { page: { path: '/', search, url: 'https://shop.example/' + search } },
  ...extra,
})

async function collect(batches: { events: object[]; context?: object; headers?: Record<string, string> }[]) {
  const { app, sink, dataDir } = await testApp()
  for (const { events, context, headers } of batches) {
    const response = await app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify({ writeKey, batch: events, ...(context ? { context } : {}) }),
      headers: { origin, ...headers },
    })
    expect(response.status).toBe(200)
  }
  await sink.close()
  return readLines(dataDir)
}

describe('visits, campaigns and time zones derived by the collector', () => {
  it('counts a visit per 30 minutes of inactivity and per new campaign, and keeps the visit’s campaign on its later pages', async () => {
    const lines = await collect([
      { events: [page('m1', 0, '?utm_campaign=spring&utm_source=news'), page('m2', 10)] },
      { events: [page('m3', 41)] },
      { events: [page('m4', 45, '?gclid=g1')] },
    ])
    const [first, second, third, fourth] = lines.map((l) => l.context)
    expect(first.session).toEqual({ id: expect.any(String), number: 1 })
    expect(second.session).toEqual(first.session)
    expect(second.campaign).toEqual({ name: 'spring', source: 'news' })
    expect(second.first_campaign).toEqual({ name: 'spring', source: 'news' })
    // 31 minutes after the last event: a new visit, without a campaign, the first one still remembered.
    expect(third.session.number).toBe(2)
    expect(third.session.id).not.toBe(first.session.id)
    expect(third.campaign).toBeUndefined()
    expect(third.first_campaign).toEqual({ name: 'spring', source: 'news' })
    // Other campaign parameters start a visit at once.
    expect(fourth.session.number).toBe(3)
    expect(fourth.campaign).toEqual({ gclid: 'g1' })
  })

  it('keeps a sender’s own session, and puts a backend’s user-only event in the visit of the device that user was last seen on', async () => {
    const lines = await collect([
      { events: [page('m1', 0), { ...page('m2', 1), type: 'identify', userId: 'u-1' }] },
      {
        events: [
          {
            type: 'track',
            event: 'Order Completed',
            messageId: 'm3',
            userId: 'u-1',
            originalTimestamp: at(5),
            sentAt: sent,
          },
        ],
        headers: { authorization: basic(writeKey) },
      },
      { events: [{ ...page('m4', 6), anonymousId: 'visitor-2', context: { session: { id: 's-own', number: 7 } } }] },
      {
        events: [
          {
            type: 'track',
            event: 'Order Completed',
            messageId: 'm5',
            userId: 'stranger',
            originalTimestamp: at(7),
            sentAt: sent,
          },
        ],
        headers: { authorization: basic(writeKey) },
      },
    ])
    const byId = Object.fromEntries(lines.map((l) => [l.messageId, l.context]))
    expect(byId.m3.session).toEqual(byId.m1.session)
    expect(byId.m4.session).toEqual({ id: 's-own', number: 7 })
    expect(byId.m5.session).toBeUndefined()
  })

  it('puts the time zone a browser named (for its batch) on every event, and on the visitor’s later events without one', async () => {
    const lines = await collect([
      { events: [page('m1', 0), page('m2', 1)], context: { timezone: 'Europe/Paris' } },
      {
        events: [
          {
            type: 'track',
            event: 'Order Completed',
            messageId: 'm3',
            anonymousId: 'visitor-1',
            originalTimestamp: at(2),
            sentAt: sent,
          },
        ],
      },
    ])
    expect(lines.map((l) => l.context.timezone)).toEqual(['Europe/Paris', 'Europe/Paris', 'Europe/Paris'])
  })

  it('fills context.userAgentData from the request’s client hints, and keeps what the event sent', async () => {
    const hints = {
      'sec-ch-ua': '"Chromium";v="143", "Not A(Brand";v="24"',
      'sec-ch-ua-mobile': '?1',
      'sec-ch-ua-platform': '"Android"',
    }
    const lines = await collect([
      {
        events: [
          page('m1', 0),
          page('m2', 1, '', { context: { page: { path: '/' }, userAgentData: { mobile: false } } }),
        ],
        headers: hints,
      },
      { events: [page('m3', 2)] },
    ])
    expect(lines[0]!.context.userAgentData).toEqual({
      brands: [
        { brand: 'Chromium', version: '143' },
        { brand: 'Not A(Brand', version: '24' },
      ],
      mobile: true,
      platform: 'Android',
    })
    expect(lines[1]!.context.userAgentData).toEqual({ mobile: false })
    expect(lines[2]!.context.userAgentData).toBeUndefined()
  })
})

describe('what the derivation remembers is bounded', () => {
  it('forgets the least recently used entries to stay within its byte budget', () => {
    const memory = createBoundedMemory<number>(10_000)
    for (let i = 0; i < 100_000; i++) memory.set('visitor-' + i, i, 100)
    expect(memory.bytes).toBeLessThanOrEqual(10_000)
    expect(memory.get('visitor-99999')).toBe(99_999)
    expect(memory.get('visitor-0')).toBeUndefined()
    // A use keeps an entry: the one read survives the next arrivals, the one not read goes.
    memory.get('visitor-99990')
    const held = memory.size
    for (let i = 0; i < held - 1; i++) memory.set('later-' + i, i, 100)
    expect(memory.get('visitor-99990')).toBe(99_990)
    expect(memory.get('visitor-99991')).toBeUndefined()
  })

  it('keeps the order of use when the same key is used again and again', () => {
    // Room for three entries of 100 bytes (each also costs its key and 64 bytes of bookkeeping).
    const memory = createBoundedMemory<string>(3 * (100 + 2 + 64))
    for (const key of ['a', 'b', 'c']) memory.set(key, key, 100)
    // c is the newest: using it again, reading or writing, must not disturb the order of the others.
    memory.get('c')
    memory.set('c', 'c2', 100)
    memory.get('a')
    memory.get('a')
    memory.set('d', 'd', 100)
    expect(memory.get('b')).toBeUndefined()
    expect([memory.get('a'), memory.get('c'), memory.get('d')]).toEqual(['a', 'c2', 'd'])
    // A newest entry that grows is counted at its new size, and the least recently used make room for it.
    memory.set('d', 'd3', 200)
    expect(memory.bytes).toBe(100 + 2 + 64 + (200 + 2 + 64))
    expect(memory.get('a')).toBeUndefined()
    expect(memory.get('c')).toBe('c2')
  })

  it('reads client hints of any length in bounded time and ignores what no browser sends', () => {
    expect(userAgentDataOf({ brands: '"x";v="1", '.repeat(1000) })).toBeUndefined()
    expect(userAgentDataOf({ brands: '"a\\"b";v="1"', platform: '"macOS"' })).toEqual({
      brands: [{ brand: 'a"b', version: '1' }],
      mobile: false,
      platform: 'macOS',
    })
  })
})
