import { readFile } from 'node:fs/promises'
import { createNdjsonSink } from '@spoor/log'
import { ConfigError, createRedactor, redactUrls } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { basic, ndjsonFiles, readLines, tempDir } from '../../../test/support/helpers.js'
import { createApp, parseConfig, readPrivacySettings } from '../src/index.js'

const page = 'https://shop.example/checkout?email=ada%40example.com&token=t0k3n&q=tea&order_ref=A-1#access_token=f4g'
const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
// Every secret of `page` and the events below: none may be on disk, in any file.
const secrets = ['ada%40example.com', 'ada@example.com', 't0k3n', 'f4g', 's3cr3t', 'A-1', 'bob@example.com']

async function collector() {
  const dataDir = await tempDir()
  const sink = createNdjsonSink({ dataDir, minFreeBytes: 0 })
  const config = parseConfig({
    sites: [
      { writeKey: 'shop-key', origins: ['https://shop.example'], redact: ['order_ref'] },
      { writeKey: 'blog-key', origins: ['https://blog.example'] },
    ],
  })
  const app = createApp({ config, sink, snippetPath: '/none' })
  let closed: Promise<void> | undefined
  // Published once the sink closes: every file it wrote, as one text.
  const files = async () => {
    await (closed ??= sink.close())
    const texts = await Promise.all((await ndjsonFiles(dataDir)).map((file) => readFile(file, 'utf8')))
    return texts.join('')
  }
  return { app, dataDir, files }
}

// What the script tag sends: the page's URLs as the page has them (it leaves redaction to the collector).
const fromTheTag = {
  type: 'page',
  anonymousId: 'a1',
  messageId: 'm-page',
  context: {
    page: { url: page, referrer: 'https://mail.example/read?u=bob@example.com', title: 'Checkout' },
    userAgent: chrome,
  },
}
const click = {
  type: 'track',
  event: 'Element Clicked',
  anonymousId: 'a1',
  messageId: 'm-click',
  properties: { tag: 'a', href: 'https://pay.example/go?session=s3cr3t&item=7' },
  context: { page: { url: page } },
}

describe("every URL an event records loses its secrets at the collector, whoever sent it, before it's written", () => {
  it("redacts the tag's page, referrer and link, with the site's own names, and derives the query from the result", async () => {
    const { app, dataDir, files } = await collector()
    const response = await app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify({ writeKey: 'shop-key', batch: [fromTheTag, click] }),
      headers: { origin: 'https://shop.example', 'user-agent': chrome },
    })
    expect(await response.json()).toMatchObject({ accepted: 2 })
    const text = await files()
    for (const secret of secrets) expect(text).not.toContain(secret)
    const [view, clicked] = await readLines(dataDir)
    const redacted =
      'https://shop.example/checkout?email=redacted&token=redacted&q=tea&order_ref=redacted#access_token=redacted'
    expect(view!.context.page).toMatchObject({
      url: redacted,
      search: '?email=redacted&token=redacted&q=tea&order_ref=redacted',
      referrer: 'https://mail.example/read?u=redacted',
    })
    // A page event's properties are filled from its redacted page.
    expect(view!.properties.url).toBe(redacted)
    expect(clicked!.properties.href).toBe('https://pay.example/go?session=redacted&item=7')
  })

  it("keeps another site's parameter that only this site names, and redacts the defaults there too", async () => {
    const { app, dataDir, files } = await collector()
    await app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify({
        writeKey: 'blog-key',
        batch: [{ ...fromTheTag, context: { page: { url: 'https://blog.example/?order_ref=A-2&token=t' } } }],
      }),
      headers: { origin: 'https://blog.example' },
    })
    expect(await files()).not.toContain('token=t')
    const [line] = await readLines(dataDir)
    expect(line!.context.page.url).toBe('https://blog.example/?order_ref=A-2&token=redacted')
  })

  it("redacts a backend's event (a Segment server library) and a campaign value holding an email", async () => {
    const { app, dataDir, files } = await collector()
    const response = await app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify({
        batch: [
          {
            type: 'track',
            event: 'Order Completed',
            userId: 'u1',
            messageId: 'm-order',
            properties: { order_id: 'o1', url: page, referrer: 'https://x.example/?pwd=s3cr3t' },
            context: {
              page: { search: '?order_ref=A-1&q=tea' },
              campaign: { source: 'news', term: 'bob@example.com' },
            },
          },
        ],
      }),
      headers: { authorization: basic('shop-key'), 'user-agent': 'analytics-node-next/latest' },
    })
    expect(await response.json()).toMatchObject({ accepted: 1 })
    const text = await files()
    for (const secret of secrets) expect(text).not.toContain(secret)
    const [order] = await readLines(dataDir)
    expect(order!.properties.referrer).toBe('https://x.example/?pwd=redacted')
    expect(order!.context.page.search).toBe('?order_ref=redacted&q=tea')
    expect(order!.context.campaign).toEqual({ source: 'news', term: 'redacted' })
  })

  it('redacts the copy of a refused event kept in rejected/', async () => {
    const { app, dataDir, files } = await collector()
    const refused = { ...fromTheTag, messageId: 42 }
    const response = await app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify({ writeKey: 'shop-key', batch: [refused] }),
      headers: { origin: 'https://shop.example' },
    })
    expect((await response.json()) as object).toMatchObject({ accepted: 0, rejected: [{ index: 0 }] })
    const text = await files()
    for (const secret of secrets) expect(text).not.toContain(secret)
    const [copy] = await readLines(dataDir, 'rejected')
    expect(copy!.raw).toContain('order_ref=redacted')
  })

  it("redacts a pixel's Referer and its own parameters with the site's names", async () => {
    const { app, dataDir, files } = await collector()
    const response = await app.request('/p.gif?k=shop-key&e=Email%20Opened&order_ref=A-1&campaign_id=spring', {
      headers: { referer: 'https://shop.example/thanks?order_ref=A-1&q=tea' },
    })
    expect(response.status).toBe(200)
    expect(await files()).not.toContain('A-1')
    const [line] = await readLines(dataDir)
    expect(line!.context.page.url).toBe('https://shop.example/thanks?order_ref=redacted&q=tea')
    expect(line!.properties).toMatchObject({ order_ref: 'redacted', campaign_id: 'spring' })
  })
})

describe('redactUrls', () => {
  it('leaves what is not an event as it is, and tells how much the event grew', () => {
    const redact = createRedactor()
    for (const odd of [null, 1, 'x', [], { context: 'page' }, { context: { page: [1] } }, { properties: null }])
      expect(redactUrls(odd, redact)).toBe(0)
    const event = { properties: { href: '?a=@' }, context: { page: { url: 3 } } }
    expect(redactUrls(event, redact)).toBe('redacted'.length - 1)
    expect(event.properties.href).toBe('?a=redacted')
    // Past 64 characters of growth, the whole query and fragment go: an event cannot grow without bound.
    const long = { context: { page: { url: `https://s.example/p?${'&e=@'.repeat(10)}#t=1` } } }
    expect(redactUrls(long, redact)).toBeLessThanOrEqual(64)
    expect(long.context.page.url).toBe('https://s.example/p?redacted')
  })
})

describe("a site's redact names in the config", () => {
  const settings = (redact: unknown) =>
    readPrivacySettings(parseConfig({ sites: [{ writeKey: 'shop-key', origins: [], redact }] }))
  it('must be a short list of names, each a valid regular expression fragment', () => {
    expect(() => settings('order_ref')).toThrow(ConfigError)
    expect(() => settings('order_ref')).toThrow('sites[0].redact must be a list of parameter names like')
    expect(() => settings([''])).toThrow('each a non-empty string')
    expect(() => settings(['ok', '('])).toThrow('sites[0].redact: "(" is not a valid regular expression fragment')
    expect(() => settings(Array.from({ length: 33 }, (_, i) => `n${i}`))).toThrow('at most 32')
    expect(settings(['voucher']).site('shop-key').redactUrl('/?voucher=V&x=1')).toBe('/?voucher=redacted&x=1')
  })
})
