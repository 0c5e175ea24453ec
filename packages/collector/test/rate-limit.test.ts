import { describe, expect, it } from 'vitest'
import { testApp, writeKey } from '../../../test/support/helpers.js'
import { parseRate } from '../src/index.js'
import { createRateLimiter, ipBucket } from '../src/steps/rate-limit.js'

describe('token buckets', () => {
  it('allow a burst, then one request per refill, and say how long to wait', () => {
    let now = 0
    const limiter = createRateLimiter({ perSecond: 2, burst: 3 }, 100, () => now)
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0])
    expect(limiter.take('a')).toBe(1)
    expect(limiter.take('b')).toBe(0)
    now = 500
    expect([limiter.take('a'), limiter.take('a')]).toEqual([0, 1])
    now = 10_000
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0, 1])
  })

  it('forget the least recently used keys past their cap, and group IPv6 clients by /64', () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 1 }, 2, () => 0)
    limiter.take('a')
    limiter.take('b')
    limiter.take('c')
    expect(limiter.take('a')).toBe(0) // forgotten, so full again
    expect([limiter.size, limiter.capacity]).toEqual([2, 2])
    expect(ipBucket('2001:db8:1:2:aaaa::1')).toBe(ipBucket('2001:db8:1:2:bbbb::9'))
    expect(ipBucket('2001:db8:1:3::1')).not.toBe(ipBucket('2001:db8:1:2::1'))
    expect(ipBucket('::ffff:198.51.100.7')).toBe('198.51.100.7')
  })

  it('are read from the command line as 50/s, 600/m or 50/s:200', () => {
    expect(parseRate('50/s')).toEqual({ perSecond: 50, burst: 100 })
    expect(parseRate('600/m:20')).toEqual({ perSecond: 10, burst: 20 })
    expect(parseRate('0')).toBeUndefined()
    expect(() => parseRate('fast')).toThrow(/is not a rate/)
  })
})

describe('rate limits on the event API', () => {
  const body = (key = writeKey) => JSON.stringify({ writeKey: key, batch: [{ type: 'page', anonymousId: 'a' }] })

  it('answer 429 with Retry-After per client address, without touching other addresses', async () => {
    let ip = '198.51.100.1'
    const { app } = await testApp({ ratePerIp: { perSecond: 0.001, burst: 2 }, clientIp: () => ip })
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await app.request('/v1/batch', { method: 'POST', body: body() })).status)
    expect(statuses).toEqual([200, 200, 429])
    const limited = await app.request('/v1/batch', { method: 'POST', body: body() })
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await limited.json()).error).toMatch(/^too many requests from this address; retry in \d+ s$/)
    ip = '198.51.100.2'
    expect((await app.request('/v1/batch', { method: 'POST', body: body() })).status).toBe(200)
  })

  it('answer 429 per write key, whatever the address', async () => {
    let n = 0
    const { app } = await testApp({ ratePerKey: { perSecond: 0.001, burst: 1 }, clientIp: () => `198.51.100.${++n}` })
    expect((await app.request('/v1/batch', { method: 'POST', body: body() })).status).toBe(200)
    const limited = await app.request('/v1/batch', { method: 'POST', body: body() })
    expect([limited.status, (await limited.json()).error]).toEqual([429, expect.stringMatching(/this write key/)])
    expect((await app.request('/v1/batch', { method: 'POST', body: body('server-key') })).status).toBe(200)
  })
})
