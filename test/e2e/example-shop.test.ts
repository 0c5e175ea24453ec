import { fileURLToPath } from 'node:url'
import { loadConfig } from '@spoor/collector'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { waitForEvents } from '../support/events.js'

const shop = fileURLToPath(new URL('../../examples/shop/', import.meta.url))
// As `npm start` runs it: the demo config, the shop served by the collector itself.
const suite = useBrowserSuite(async () => ({
  config: await loadConfig(shop + 'spoor.config.json'),
  staticDir: shop + 'public',
}))

describe('the example shop', () => {
  it('puts page views and shop events into data/events/**/*.ndjson', async () => {
    const page = await (await suite.browser.newContext()).newPage()
    await page.goto(suite.collector.url + '/')
    await page.click('text=Cast-iron teapot')
    await page.click('text=Add to cart')
    await page.click('nav >> text=Cart')
    await page.click('text=Go to checkout')
    await page.fill('input[name=name]', 'Ada')
    await page.click('text=Place order')
    await page.waitForSelector('text=Thank you!')
    await page.goto('about:blank')

    const shopEvents = await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Order Completed')
    expect(shopEvents[0]!.properties).toMatchObject({
      total: 48,
      currency: 'EUR',
      products: [{ product_id: 'pot-01', quantity: 1 }],
    })
    const views = await waitForEvents(suite.collector.dataDir, (e) => e.type === 'page', { count: 4 })
    expect(views.map((e) => e.properties.path)).toEqual(['/', '/product.html', '/cart.html', '/checkout.html'])
    for (const name of ['Product Viewed', 'Product Added', 'Cart Viewed', 'Checkout Started']) {
      await waitForEvents(suite.collector.dataDir, (e) => e.event === name)
    }
    expect(views.every((e) => e.writeKey === 'demo-shop-key')).toBe(true)
  })
})
