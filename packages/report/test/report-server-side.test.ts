import { createApp, parseConfig } from '@spoor/collector'
import { createNdjsonSink } from '@spoor/log'
import { buildReport } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { basic, tempDir } from '../../../test/support/helpers.js'

const config = parseConfig({ sites: [{ writeKey: 'shop-key', origins: ['https://shop.example'] }] })
const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
// Event times as they arrive: the collector's clock stands a minute after the first, and the batch detector's
// clock follows arrivals, as the live one does.
const t0 = Date.parse('2026-03-02T10:00:00.000Z')
const arrival = () => new Date(t0 + 60_000)
const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString()

/** A browser's event: its session and the campaign it landed with, as the snippet sends them. */
const browser = (seconds: number, anonymousId: string, fields: object) => ({
  anonymousId,
  timestamp: at(seconds),
  context: {
    session: { id: `session-${anonymousId}`, number: 1 },
    campaign: { name: 'spring', source: 'news' },
    page: { path: '/shop' },
  },
  ...fields,
})
const track = (event: string, properties: object = {}) => ({ type: 'track', event, properties })
const tea = { product_id: 'tea-01', price: 12.5, quantity: 1 }

/** The figures the report shows, by name. */
const figures = (html: string) =>
  Object.fromEntries([...html.matchAll(/data-metric="([^"]+)" data-value="([^"]*)"/g)].map((m) => [m[1], Number(m[2])]))

describe("the report, with orders sent from the shop's backend", () => {
  it("counts a backend's order in its visitor's funnel and in the session and campaign it ended", async () => {
    const dataDir = await tempDir()
    const sink = createNdjsonSink({ dataDir, now: arrival })
    const app = createApp({ config, sink, snippetPath: '/nonexistent', now: arrival })
    const post = async (batch: object[], headers: Record<string, string>) => {
      const response = await app.request('/v1/batch', {
        method: 'POST',
        headers,
        body: JSON.stringify({ writeKey: 'shop-key', batch }),
      })
      expect(response.status).toBe(200)
    }
    const shopper = (id: string, more: object[] = []) => [
      browser(0, id, { type: 'page', properties: { path: '/shop' } }),
      browser(10, id, track('Product Viewed', tea)),
      browser(20, id, track('Product Added', { cart_id: `cart-${id}`, products: [tea], value: 12.5, currency: 'EUR' })),
      ...more,
      browser(
        40,
        id,
        track('Checkout Started', { cart_id: `cart-${id}`, products: [tea], value: 12.5, currency: 'EUR' }),
      ),
    ]
    // Ann checks out as a guest (the checkout form posts her anonymousId); Ben signs in first and his order is his account's.
    await post([...shopper('ann'), ...shopper('ben', [browser(30, 'ben', { type: 'identify', userId: 'u-ben' })])], {
      origin: 'https://shop.example',
      'user-agent': chrome,
      'content-type': 'text/plain',
    })
    const order = (fields: object) => ({
      ...track('Order Completed', { order_id: 'o', total: 12.5, currency: 'EUR', products: [tea] }),
      timestamp: at(60),
      ...fields,
    })
    await post([order({ anonymousId: 'ann' }), order({ userId: 'u-ben' })], {
      authorization: basic('shop-key'),
      'user-agent': 'analytics-node-next/latest',
    })
    await sink.close()

    const now = new Date(t0 + 30 * 60_000)
    const { html } = await buildReport({ dataDir, from: new Date(t0 - 60_000), to: now, now, cartWindowMs: 5 * 60_000 })
    const shown = figures(html)
    expect(shown).toMatchObject({
      orders: 2,
      'funnel:Product Viewed': 2,
      'funnel:Order Completed': 2,
      sessions: 2,
      conversion: 1,
      'campaign-sessions:spring': 2,
      'campaign-orders:spring': 2,
      'campaign-revenue:spring': 25,
    })
    expect(shown['carts-abandoned']).toBeUndefined()
  }, 30_000)
})
