import { fileURLToPath } from 'node:url'
import { loadConfig } from '@spoor/collector'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { waitForEvents } from '../support/events.js'
import { freshPage } from './capture-support.js'

const shop = fileURLToPath(new URL('../../examples/shop/', import.meta.url))
const suite = useBrowserSuite(async () => ({
  config: await loadConfig(shop + 'spoor.config.json'),
  staticDir: shop + 'public',
}))

describe('the example shop shows each capture area', () => {
  it('cart events carry the cart, and the order the email typed into the marked field', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.collector.url + '/')
    await page.click('text=Get the weekly tea letter')
    await page.click('text=Sencha green tea')
    await page.click('text=Add to cart')
    await page.click('nav >> text=Checkout')
    await page.fill('input[name=name]', 'Ada')
    await page.fill('input[name=email]', 'ada@example.com')
    await page.click('text=Place order')
    const [order] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Order Completed' && e.context.traits?.email === 'ada@example.com',
    )
    const [added] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Product Added' && e.anonymousId === order!.anonymousId,
    )
    expect(order!.properties).toMatchObject({
      cart_id: added!.properties.cart_id,
      value: 12.5,
      currency: 'EUR',
      products: [{ product_id: 'tea-01' }],
    })
    await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Subscribed' && e.properties.list === 'weekly-tea')
    await page.context().close()
  })

  it('account, media, feedback and privacy pages record their events', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.collector.url + '/account.html')
    await page.click('text=Sign up')
    await page.click('text=Sign out')
    await page.goto(suite.collector.url + '/watch.html')
    await page.evaluate(() => (document.querySelector('video') as HTMLVideoElement).play())
    await page.waitForTimeout(300)
    await page.goto(suite.collector.url + '/feedback.html')
    await page.click('text=Send survey')
    await page.click('text=Send review')
    await page.click('text=Show the NPS prompt')
    await page.getByRole('dialog').getByRole('button', { name: '10' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Send' }).click()
    await page.goto(suite.collector.url + '/privacy.html?email=ada%40example.com&token=s3cret&q=tea')
    // The page view is recorded in a task after the tag runs, which may come after the load that goto waits for; a
    // task queued now runs after it.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve)))
    await page.goto('about:blank')
    const signedUp = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Signed Up' && e.userId === 'u-ada',
    )
    const visitor = signedUp[0]!.anonymousId
    await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Signed Out' && e.anonymousId === visitor)
    await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Video Playback Started' && e.properties.content_asset_id === 'brewing-guide',
    )
    await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Survey Responded' && (e.properties.answers as { brew: string }).brew === 'pot',
    )
    await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Product Reviewed' && e.properties.rating === 5)
    await waitForEvents(suite.collector.dataDir, (e) => e.event === 'NPS Submitted' && e.properties.score === 10)
    await waitForEvents(
      suite.collector.dataDir,
      (e) => e.type === 'page' && e.context.page?.search === '?email=redacted&token=redacted&q=tea',
    )
    await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Heatmap' && e.properties.path === '/feedback.html')
    await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Web Vital' && e.properties.name === 'LCP')
    await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Page Engaged')
  })
})
