import { fileURLToPath } from 'node:url'
import { Analytics } from '@segment/analytics-node'
import { loadConfig } from '@spoor/collector'
import type { EventLine } from '@spoor/protocol'
import { buildReport } from '@spoor/report'
import { beforeAll, describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { readEvents, waitForEvents } from '../support/events.js'
import { runningClock } from '../support/running-clock.js'
import { newVisitor, type Visitor } from '../support/shop-visitor.js'

const shop = fileURLToPath(new URL('../../examples/shop/', import.meta.url))
// The example shop's site (examples/shop/spoor.config.json).
const writeKey = 'demo-shop-key'
// People's browsers: headless Chromium's own agent says "HeadlessChrome", which is rightly a bot's.
const person = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const windowMs = 30 * 60_000
// The collector's, the live detector's and the backend's clock: it runs from a fixed moment until the test moves it
// past the cart window.
const clock = runningClock()

const suite = useBrowserSuite(
  async () => ({
    config: await loadConfig(shop + 'spoor.config.json'),
    staticDir: shop + 'public',
    carts: { windowMs, now: clock.now },
    now: clock.now,
  }),
  { userAgent: person },
)

const fromBackend = (e: EventLine) => e.context.library?.name === '@segment/analytics-node'
const teaOrder = {
  order_id: 'order-ann',
  total: 12.5,
  revenue: 12.5,
  currency: 'EUR',
  products: [{ product_id: 'tea-01', price: 12.5, quantity: 1 }],
}
const potOrder = {
  order_id: 'order-ben',
  total: 48,
  revenue: 48,
  currency: 'EUR',
  products: [{ product_id: 'pot-01', price: 48, quantity: 1 }],
}

let ann: Visitor, ben: Visitor, cleo: Visitor

describe('a shop that sends orders and identifies from its backend', () => {
  beforeAll(async () => {
    const options = {
      browser: suite.browser,
      shopUrl: suite.collector.url,
      dataDir: suite.collector.dataDir,
      timeout: 30_000,
    }
    const shopper = async (productId: string) => {
      const visitor = await newVisitor(options)
      await visitor.visit(`/product.html?id=${productId}`)
      await visitor.page.click('text=Add to cart')
      await visitor.page.waitForSelector('text=Added to your cart.')
      return visitor
    }
    // Signing in is an identify by userId in the browser, as the shop's account page does; the email stays server-side.
    const signIn = (visitor: Visitor, userId: string) =>
      visitor.page.evaluate(
        (id) => (window as unknown as { spoor: (...args: unknown[]) => void }).spoor('identify', id),
        userId,
      )

    ann = await shopper('tea-01')
    await ann.visit('/checkout.html')
    // Ben signs in at checkout, after his last cart event: only that identify ties his account to this device.
    ben = await shopper('pot-01')
    await ben.visit('/checkout.html')
    await signIn(ben, 'u-ben')
    cleo = await shopper('cup-01')
    await signIn(cleo, 'u-cleo')
    for (const visitor of [ann, ben, cleo]) await visitor.leave()
    await waitForEvents(
      suite.collector.dataDir,
      (e) => e.type === 'identify' && e.anonymousId !== null && ['u-ben', 'u-cleo'].includes(e.userId!),
      { count: 2 },
    )

    // The backend: Ann checked out as a guest (the checkout form posted the id spoor keeps, localStorage
    // 'spoor.aid'); Ben's order is his account's; Cleo's account has her email, which the page never showed spoor.
    const backend = new Analytics({ writeKey, host: suite.collector.url, flushAt: 3, maxRetries: 3 })
    const errors: unknown[] = []
    backend.on('error', (error) => errors.push(error))
    // A backend stamps its events by its own clock, which is the collector's here.
    const anonymousId = await ann.anonymousId()
    backend.track({ anonymousId, event: 'Order Completed', properties: teaOrder, timestamp: clock.now() })
    backend.track({ userId: 'u-ben', event: 'Order Completed', properties: potOrder, timestamp: clock.now() })
    const traits = { email: 'cleo@example.com', name: 'Cleo' }
    backend.identify({ userId: 'u-cleo', traits, timestamp: clock.now() })
    await backend.closeAndFlush()
    expect(errors).toEqual([])
    await waitForEvents(suite.collector.dataDir, fromBackend, { count: 3 })

    // Past the window of every cart: the live detector decides them all in its next tick, in one write.
    clock.skip(windowMs + 60_000)
    await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Cart Abandoned')
  }, 120_000)

  it("writes the backend's events as sent, none of them flagged as a bot's", async () => {
    const lines = (await readEvents(suite.collector.dataDir)).filter(fromBackend)
    expect(lines.map((e) => [e.type, e.event, e.anonymousId, e.userId])).toEqual(
      expect.arrayContaining([
        ['track', 'Order Completed', await ann.anonymousId(), null],
        ['track', 'Order Completed', null, 'u-ben'],
        ['identify', null, null, 'u-cleo'],
      ]),
    )
    expect(lines.map((e) => e.context.bot ?? false)).toEqual([false, false, false])
  })

  it("closes the carts the backend's orders paid for, and gives the abandoned one the email the backend identified", async () => {
    const events = await readEvents(suite.collector.dataDir)
    const abandoned = events.filter((e) => e.event === 'Cart Abandoned')
    const [cleoCart] = await cleo.cartIds()
    expect(abandoned.map((e) => e.properties.cart_id)).toEqual([cleoCart])
    for (const visitor of [ann, ben]) expect(await visitor.cartIds()).not.toContain(abandoned[0]!.properties.cart_id)
    expect(abandoned[0]).toMatchObject({
      userId: 'u-cleo',
      anonymousId: await cleo.anonymousId(),
      properties: { email: 'cleo@example.com', value: 14, currency: 'EUR', products: [{ product_id: 'cup-01' }] },
    })
  })

  it('counts the orders in the report, in the funnel of the visitors who placed them', async () => {
    const now = clock.now()
    const { html } = await buildReport({
      dataDir: suite.collector.dataDir,
      from: clock.origin,
      to: new Date(now.getTime() + 60_000),
      now,
      writeKey,
      cartWindowMs: windowMs,
    })
    const shown = Object.fromEntries(
      [...html.matchAll(/data-metric="([^"]+)" data-value="([^"]*)"/g)].map((m) => [m[1], Number(m[2])]),
    )
    expect(shown).toMatchObject({
      orders: 2,
      revenue: 60.5,
      'funnel:Product Added': 3,
      'funnel:Checkout Started': 2,
      'funnel:Order Completed': 2,
      'carts-abandoned': 1,
      'carts-abandoned-value': 14,
    })
    expect(html).toContain('1 with an email to remind')
  }, 60_000)
})
