import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { waitForEvents } from '../support/events.js'
import { freshPage } from './capture-support.js'

const suite = useBrowserSuite()

describe('pages whose other scripts change the builtins', () => {
  it('a Prototype.js page, whose arrays serialize as strings, loses no event and keeps its arrays', async () => {
    const page = await freshPage(suite.browser)
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(suite.site.url + '/capture/prototype-js.html?prototype')
    await page.click('#add-cup')
    await page.click('#add-cup')
    await page.click('#tags')
    const from = (e: { context: { page?: { search?: string } } }) => e.context.page?.search === '?prototype'
    await waitForEvents(suite.collector.dataDir, (e) => e.type === 'page' && from(e))
    const [tags] = await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Tags Chosen' && from(e))
    expect(tags!.properties.tags).toEqual(['oak', 'ash'])
    // The second add reads the cart the first one stored: its products are still a list.
    const added = await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Product Added' && from(e), {
      count: 2,
    })
    expect(added.map((e) => e.properties.products)).toEqual([
      [{ product_id: 'cup-01', price: 14, quantity: 1 }],
      [{ product_id: 'cup-01', price: 14, quantity: 2 }],
    ])
    // The page's own serialization is as it was.
    expect(await page.evaluate(() => JSON.stringify({ list: [1, 2] }))).toBe('{"list":"[1, 2]"}')
    expect(errors).toEqual([])
    await page.context().close()
  })
})

describe('pages in unusual places', () => {
  it('a frame sandboxed without allow-same-origin sends while shown, and throws nothing into the page', async () => {
    const page = await freshPage(suite.browser)
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(suite.site.url + '/capture/sandboxed-frame.html')
    const frame = page.frameLocator('iframe')
    await frame.locator('#framed-button').click()
    // Delivered by fetch while the page stays open, not only by the beacons of its leaving.
    const from = (e: { context: { page?: { search?: string } } }) => e.context.page?.search === '?sandboxed'
    await waitForEvents(suite.collector.dataDir, (e) => e.type === 'page' && from(e))
    await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Element Clicked' && from(e))
    expect(errors).toEqual([])
    await page.context().close()
  })
})
