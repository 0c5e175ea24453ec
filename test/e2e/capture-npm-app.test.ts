import { fileURLToPath } from 'node:url'
import { parseConfig } from '@spoor/collector'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { buildApp } from '../../examples/npm-app/build.mjs'
import { launchChromium } from '../support/chromium.js'
import { startCollector, type TestCollector } from '../support/collector.js'
import { readEvents, waitForEvents } from '../support/events.js'
import { freshPage } from './capture-support.js'

let browser: Browser
let collector: TestCollector

beforeAll(async () => {
  await buildApp({ conditions: ['source'] })
  browser = await launchChromium()
  collector = await startCollector({
    config: parseConfig({ sites: [{ writeKey: 'demo-shop-key', origins: ['*'] }] }),
    staticDir: fileURLToPath(new URL('../../examples/npm-app/public/', import.meta.url)),
  })
})

afterAll(async () => {
  await browser?.close()
  await collector?.stop()
})

describe('examples/npm-app (the SDK from npm, bundled by esbuild)', () => {
  it('waits for consent, then records what the app calls and what its plugins see', async () => {
    const page = await freshPage(browser)
    await page.goto(collector.url + '/')
    await page.click('#add')
    await page.waitForTimeout(2500)
    expect(await readEvents(collector.dataDir)).toEqual([])
    await page.click('#accept')
    await page.click('#sign-in')
    await page.click('#route')
    await page.click('#order')
    const [order] = await waitForEvents(collector.dataDir, (e) => e.event === 'Order Completed')
    expect(order).toMatchObject({ userId: 'u-42', properties: { value: 12.5, currency: 'EUR', products: [{ product_id: 'tea-01' }] } })
    const views = await waitForEvents(collector.dataDir, (e) => e.type === 'page', { count: 2 })
    expect(views.map((e) => e.properties.path)).toEqual(['/', '/npm-app/settings'])
    await waitForEvents(collector.dataDir, (e) => e.event === 'Product Added' && e.properties.cart_id === order!.properties.cart_id)
    await waitForEvents(collector.dataDir, (e) => e.event === 'Element Clicked' && e.properties.selector === '#accept')
    await page.context().close()
  })
})
