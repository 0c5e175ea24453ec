import { createNdjsonSink } from '@spoor/log'
import { ConfigError } from '@spoor/protocol'
import type { Context } from 'hono'
import { describe, expect, it } from 'vitest'
import { basic, readLines, tempDir } from '../../../test/support/helpers.js'
import { clientIpResolver, createApp, parseConfig, readPrivacySettings } from '../src/index.js'
import { createVisitorHasher } from '../src/steps/visitor-hash.js'

const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

async function collector(sites: object[], extra: object = {}, peer = '10.0.0.9', trustedProxies = 0) {
  const dataDir = await tempDir()
  const sink = createNdjsonSink({ dataDir, minFreeBytes: 0 })
  const config = parseConfig({ sites, ...extra })
  const app = createApp({ config, sink, snippetPath: '/none', clientIp: clientIpResolver(trustedProxies, () => peer) })
  const send = (writeKey: string, events: object[], headers: Record<string, string> = {}) =>
    app.request('/v1/batch', { method: 'POST', body: JSON.stringify({ writeKey, batch: events }), headers })
  const lines = async () => {
    await sink.close()
    return readLines(dataDir)
  }
  return { app, send, lines }
}

describe('client address', () => {
  const resolve = (trusted: number, xff: string | undefined, peer = '10.0.0.1') =>
    clientIpResolver(trusted, () => peer)({ req: { header: () => xff } } as unknown as Context)

  it('is the socket peer unless proxies are trusted, and then walked from the right of X-Forwarded-For', () => {
    expect(resolve(0, '198.51.100.7')).toBe('10.0.0.1')
    expect(resolve(1, 'spoofed.example, 198.51.100.7')).toBe('198.51.100.7')
    expect(resolve(1, '203.0.113.66, 198.51.100.7')).toBe('198.51.100.7')
    expect(resolve(2, '203.0.113.66, 198.51.100.7, 10.0.0.2')).toBe('198.51.100.7')
    expect(resolve(1, undefined)).toBe('10.0.0.1')
    expect(resolve(1, '[2001:db8::7]:443')).toBe('2001:db8::7')
    // Not an address: the socket's peer (the proxy) stands in, so the per-address limit still applies.
    expect(resolve(1, 'not-an-ip')).toBe('10.0.0.1')
  })

  it("never comes from a browser's context.ip: a page cannot choose the recorded address", async () => {
    const { send, lines } = await collector([{ writeKey: 'k-page', origins: ['*'] }], {}, '198.51.100.7')
    await send('k-page', [{ type: 'page', anonymousId: 'a', context: { ip: '203.0.113.99' } }], {
      origin: 'https://shop.example',
    })
    await send('k-page', [{ type: 'page', anonymousId: 'b', context: { ip: '203.0.113.99' } }])
    expect((await lines()).map((e) => e.context.ip)).toEqual(['198.51.0.0', '198.51.0.0'])
  })

  it('is masked before anything is written, as configured; the raw address is never written', async () => {
    const { send, lines } = await collector(
      [{ writeKey: 'k-mask', origins: ['*'] }],
      { privacy: { ipv4MaskBytes: 1, ipv6PrefixBits: 32 } },
      '10.0.0.9',
      1,
    )
    await send('k-mask', [{ type: 'page', anonymousId: 'a' }], { 'x-forwarded-for': '198.51.100.7' })
    // A backend passing on its visitor's address (a server-side call: the write key as HTTP Basic, no Origin).
    await send('k-mask', [{ type: 'page', anonymousId: 'b', context: { ip: '2001:db8:85a3:1::7' } }], {
      authorization: basic('k-mask'),
    })
    const written = await lines()
    expect(written.map((e) => e.context.ip)).toEqual(['198.51.100.0', '2001:db8::'])
    expect(JSON.stringify(written)).not.toContain('198.51.100.7')
  })

  it('masking settings are checked: raw IPs cannot be configured', () => {
    const config = (privacy: object) => parseConfig({ sites: [{ writeKey: 'kkk', origins: [] }], privacy })
    expect(() => readPrivacySettings(config({ ipv4MaskBytes: 0 }))).toThrow(ConfigError)
    expect(() => readPrivacySettings(config({ ipv4MaskBytes: 0 }))).toThrow(/raw IPs are never written/)
    expect(() =>
      readPrivacySettings(parseConfig({ sites: [{ writeKey: 'kkk', origins: [], gpc: 'ignore' }] })),
    ).toThrow(/sites\[0\]\.gpc must be one of "mark", "minimize", "drop"/)
  })
})

describe('the cookieless visitor hash', () => {
  it('is the same for one visitor on one site and day, differs across sites, IPs and agents, and holds no IP', async () => {
    const { send, lines } = await collector([
      { writeKey: 'site-a', origins: ['*'], visitorHash: true },
      { writeKey: 'site-b', origins: ['*'], visitorHash: true },
      { writeKey: 'site-c', origins: ['*'] },
    ])
    const page = (ua = chrome, ip?: string) => ({
      type: 'page',
      anonymousId: 'x',
      context: { userAgent: ua, ...(ip ? { ip } : {}) },
    })
    await send('site-a', [page(), page()])
    await send('site-b', [page()])
    await send('site-a', [page(chrome + ' Edg/131')])
    await send('site-a', [page(chrome, '203.0.113.9')], { authorization: basic('site-a') })
    await send('site-c', [page()])
    const hashes = (await lines()).map((e) => e.context.visitor_hash)
    expect(hashes[0]).toMatch(/^[0-9a-f]{16}$/)
    expect(hashes[1]).toBe(hashes[0])
    expect(new Set(hashes.slice(1, 5)).size).toBe(4)
    expect(hashes[5]).toBeUndefined()
  })

  it('uses a new random salt each day, keeps only yesterday’s, and gives no hash for older events', () => {
    let now = new Date('2026-11-23T10:00:00Z')
    const hasher = createVisitorHasher(() => now)
    const monday = hasher.hash('k', '198.51.100.7', chrome, now)
    expect(hasher.hash('k', '198.51.100.7', chrome, new Date('2026-11-23T23:59:00Z'))).toBe(monday)
    now = new Date('2026-11-24T00:05:00Z')
    // A late event from before midnight still gets its own day's hash; today's is another.
    expect(hasher.hash('k', '198.51.100.7', chrome, new Date('2026-11-23T23:59:00Z'))).toBe(monday)
    expect(hasher.hash('k', '198.51.100.7', chrome, now)).not.toBe(monday)
    now = new Date('2026-11-25T00:05:00Z')
    expect(hasher.hash('k', '198.51.100.7', chrome, new Date('2026-11-23T23:59:00Z'))).toBeUndefined()
    expect(createVisitorHasher(() => now).hash('k', '198.51.100.7', chrome, now)).not.toBe(
      hasher.hash('k', '198.51.100.7', chrome, now),
    )
    expect(hasher.hash('k', undefined, chrome, now)).toBeUndefined()
  })
})

describe('Global Privacy Control (Sec-GPC: 1)', () => {
  const event = {
    type: 'track',
    event: 'Order Completed',
    anonymousId: 'a',
    context: { userAgent: chrome, campaign: { source: 'google', gclid: 'G1', fbclid: 'F1' } },
  }

  it('minimize (the default): marked, no IP, no visitor hash, no ad click ids', async () => {
    const { send, lines } = await collector([{ writeKey: 'k-min', origins: ['*'], visitorHash: true }])
    await send('k-min', [event], { 'sec-gpc': '1' })
    await send('k-min', [event])
    const [opted, plain] = await lines()
    expect(opted!.context).toMatchObject({ gpc: true, campaign: { source: 'google' } })
    expect(opted!.context).not.toHaveProperty('ip')
    expect(opted!.context).not.toHaveProperty('visitor_hash')
    expect(opted!.context.campaign).not.toHaveProperty('gclid')
    expect(plain!.context).toMatchObject({
      ip: '10.0.0.0',
      campaign: { gclid: 'G1' },
      visitor_hash: expect.any(String),
    })
    expect(plain!.context).not.toHaveProperty('gpc')
  })

  it('mark keeps the event whole and marked; drop writes nothing and says so in the answer', async () => {
    const { send, lines } = await collector([
      { writeKey: 'k-mark', origins: ['*'], gpc: 'mark' },
      { writeKey: 'k-drop', origins: ['*'], gpc: 'drop' },
    ])
    await send('k-mark', [event], { 'sec-gpc': '1' })
    const dropped = await send('k-drop', [event, { type: 'track' }], { 'sec-gpc': '1' })
    expect(dropped.status).toBe(200)
    expect(await dropped.json()).toEqual({
      success: true,
      accepted: 0,
      duplicates: 0,
      optedOut: 1,
      rejected: [{ index: 1, reason: 'anonymousId or userId is required' }],
    })
    const written = await lines()
    expect(written).toHaveLength(1)
    expect(written[0]!.context).toMatchObject({ gpc: true, ip: '10.0.0.0', campaign: { gclid: 'G1' } })
  })
})

describe('bots', () => {
  it('are flagged with context.bot = true and kept; people, server libraries and mail image proxies are not flagged', async () => {
    const { app, send, lines } = await collector([{ writeKey: 'k-bot', origins: ['*'] }])
    const page = (userAgent?: string) => ({
      type: 'page',
      anonymousId: 'a',
      ...(userAgent ? { context: { userAgent } } : {}),
    })
    await send('k-bot', [
      page(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      ),
      page('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'),
      page(chrome),
    ])
    // A server library's own agent says nothing about the visitor.
    await send('k-bot', [page()], { 'user-agent': 'analytics-node-next/latest', authorization: basic('k-bot') })
    // A browser's request without context.userAgent: its own agent is the visitor's.
    await send('k-bot', [page()], { 'user-agent': 'python-requests/2.32', origin: 'https://x.example' })
    await app.request('/p.gif?k=k-bot', {
      headers: {
        'user-agent': 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
      },
    })
    await app.request('/p.gif?k=k-bot', { headers: { 'user-agent': 'curl/8.5.0' } })
    expect((await lines()).map((e) => e.context.bot ?? false)).toEqual([true, true, false, false, true, false, true])
  })
})
