import { fileURLToPath } from 'node:url'
import { parseConfig } from '@spoor/collector'
import { describe, expect, it } from 'vitest'
import { buildApp } from '../../examples/npm-app/build.mjs'
import { useBrowserSuite } from '../support/browser-suite.js'
import { readEvents, waitForEvents } from '../support/events.js'
import { freshPage } from './capture-support.js'

const suite = useBrowserSuite(async () => {
  await buildApp({ conditions: ['source'] })
  return {
    config: parseConfig({ sites: [{ writeKey: 'demo-shop-key', origins: ['*'] }] }),
    staticDir: fileURLToPath(new URL('../../examples/npm-app/public/', import.meta.url)),
  }
})

describe('examples/npm-app (the SDK from npm, bundled by esbuild)', () => {
  it('waits for consent, then records what the app calls and what its plugins see', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.collector.url + '/')
    await page.click('#add')
    await page.waitForTimeout(2500)
    expect(await readEvents(suite.collector.dataDir)).toEqual([])
    await page.click('#accept')
    await page.click('#sign-in')
    await page.click('#route')
    await page.click('#order')
    const [order] = await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Order Completed')
    expect(order).toMatchObject({
      userId: 'u-42',
      properties: { value: 12.5, currency: 'EUR', products: [{ product_id: 'tea-01' }] },
    })
    const views = await waitForEvents(suite.collector.dataDir, (e) => e.type === 'page', { count: 2 })
    expect(views.map((e) => e.properties.path)).toEqual(['/', '/npm-app/settings'])
    await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Product Added' && e.properties.cart_id === order!.properties.cart_id,
    )
    await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Element Clicked' && e.properties.selector === '#accept',
    )
    await page.context().close()
  })
})
