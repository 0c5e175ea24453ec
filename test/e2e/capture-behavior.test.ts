import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { readEvents, waitForEvents } from '../support/events.js'
import { freshPage } from './capture-support.js'

const suite = useBrowserSuite()

/** A WAV file of `seconds` of silence (8 kHz, 8-bit mono), which Chromium plays in a <video> as in an <audio>. */
function silence(seconds: number): Buffer {
  const samples = 8000 * seconds
  const header = Buffer.alloc(44)
  header.write('RIFF', 0)
  header.writeUInt32LE(36 + samples, 4)
  header.write('WAVEfmt ', 8)
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20) // PCM
  header.writeUInt16LE(1, 22) // mono
  header.writeUInt32LE(8000, 24)
  header.writeUInt32LE(8000, 28)
  header.writeUInt16LE(1, 32)
  header.writeUInt16LE(8, 34)
  header.write('data', 36)
  header.writeUInt32LE(samples, 40)
  return Buffer.concat([header, Buffer.alloc(samples, 128)])
}

describe('engagement', () => {
  it('sends Page Engaged with visible time, scroll depth and the page view id when the page is left', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/article.html?engaged')
    await page.mouse.move(100, 100)
    await page.mouse.wheel(0, 1000)
    await page.waitForTimeout(1200)
    await page.mouse.move(120, 120)
    await page.goto('about:blank')
    const [engaged] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Page Engaged' && e.context.page?.search === '?engaged',
    )
    const [view] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.type === 'page' && e.context.page?.search === '?engaged',
    )
    expect(engaged!.properties.page_view_id).toBe(view!.messageId)
    expect(engaged!.properties.engaged_ms).toBeGreaterThanOrEqual(1000)
    expect(engaged!.properties.engaged_ms).toBeLessThan(30_000)
    // 720 px of viewport + 1,000 px of scroll over a page of about 2,500 px.
    expect(engaged!.properties.max_scroll_percent).toBeGreaterThan(50)
    expect(engaged!.properties.max_scroll_percent).toBeLessThanOrEqual(100)
    await page.context().close()
  })
})

describe('the cart', () => {
  it('gives every cart event the whole cart, across two pages, and an order empties it', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/shop.html')
    await page.click('#add-pot')
    await page.click('#to-cart')
    await page.waitForURL('**/cart.html')
    await page.click('#add-cups')
    await page.click('#remove-cup')
    await page.click('#checkout')
    await page.fill('#email', 'ada@example.com')
    await page.fill('#password', 'hunter2')
    await page.click('#place')
    await page.evaluate(() => (window as any).spoor('track', 'Cart Viewed'))

    const [viewed] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Cart Viewed' && e.context.page?.path === '/capture/cart.html',
    )
    const visit = (await readEvents(suite.collector.dataDir)).filter(
      (e) => e.anonymousId === viewed!.anonymousId && e.type === 'track',
    )
    const cartEvents = visit.filter((e) => /^(Product|Cart|Checkout|Order) /.test(e.event!))
    expect(cartEvents.map((e) => [e.event, e.context.page?.path])).toEqual([
      ['Product Added', '/capture/shop.html'],
      ['Product Added', '/capture/cart.html'],
      ['Product Removed', '/capture/cart.html'],
      ['Checkout Started', '/capture/cart.html'],
      ['Order Completed', '/capture/cart.html'],
      ['Cart Viewed', '/capture/cart.html'],
    ])
    const [added, addedCups, removed, checkout, order, after] = cartEvents.map((e) => e.properties)
    const cartId = added!.cart_id
    expect(added).toMatchObject({
      product_id: 'pot-01',
      price: 48,
      quantity: 1,
      value: 48,
      currency: 'EUR',
      products: [{ product_id: 'pot-01', quantity: 1 }],
    })
    expect(addedCups).toMatchObject({
      cart_id: cartId,
      value: 76,
      products: [{ product_id: 'pot-01' }, { product_id: 'cup-01', quantity: 2 }],
    })
    expect(removed).toMatchObject({
      cart_id: cartId,
      value: 62,
      products: [{ product_id: 'pot-01' }, { product_id: 'cup-01', quantity: 1 }],
    })
    expect(checkout).toMatchObject({ cart_id: cartId, value: 62, currency: 'EUR' })
    expect(order).toMatchObject({
      cart_id: cartId,
      order_id: 'o-42',
      value: 62,
      currency: 'EUR',
      products: [{ product_id: 'pot-01' }, { product_id: 'cup-01' }],
    })
    // The order emptied the cart: a new, empty one follows.
    expect(after).toMatchObject({ products: [], value: 0, currency: 'EUR' })
    expect(after!.cart_id).not.toBe(cartId)
    // The email field marked data-spoor-identify was read (and nothing else): the order knows who to recover.
    expect(order!.email).toBeUndefined()
    const orderEvent = cartEvents[4]!
    expect(orderEvent.context.traits).toEqual({ email: 'ada@example.com' })
    expect(JSON.stringify(visit)).not.toContain('hunter2')
    await page.context().close()
  })
})

describe('identity', () => {
  it('keeps identify (user id and traits) across a reload, on later events', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/article.html?identify')
    await page.evaluate(() => (window as any).spoor('identify', 'u-7', { email: 'grace@example.com', plan: 'pro' }))
    await page.reload()
    await page.click('#track')
    const [liked] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Article Liked' && e.context.page?.search === '?identify',
    )
    expect(liked).toMatchObject({ userId: 'u-7', context: { traits: { email: 'grace@example.com', plan: 'pro' } } })
    const [identify] = await waitForEvents(suite.collector.dataDir, (e) => e.type === 'identify' && e.userId === 'u-7')
    expect(liked!.anonymousId).toBe(identify!.anonymousId)
    await page.context().close()
  })
})

describe('media', () => {
  it('records the Segment video events with position and total length', async () => {
    const page = await freshPage(suite.browser)
    await page.route('**/media/tone.wav', (route) => route.fulfill({ body: silence(2), contentType: 'audio/wav' }))
    await page.goto(suite.site.url + '/capture/media.html')
    await page.waitForFunction(() => (document.querySelector('#clip') as HTMLVideoElement).readyState >= 1)
    await page.click('#play')
    await page.waitForTimeout(500)
    await page.click('#pause')
    await page.click('#play')
    await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Video Playback Completed', { timeout: 10_000 })
    const events = (await readEvents(suite.collector.dataDir)).filter((e) => e.event?.startsWith('Video '))
    expect(events.map((e) => e.event)).toEqual([
      'Video Playback Started',
      'Video Playback Paused',
      'Video Playback Resumed',
      'Video Playback Completed',
    ])
    const [started, paused, , completed] = events.map((e) => e.properties)
    expect(started).toMatchObject({
      content_asset_id: 'clip',
      position: 0,
      total_length: 2,
      muted: true,
      livestream: false,
      media_type: 'video',
      video_player: 'html5',
    })
    expect(paused!.position).toBeGreaterThanOrEqual(0)
    expect(completed).toMatchObject({ position: 2, total_length: 2 })
    expect(new Set(events.map((e) => e.properties.session_id)).size).toBe(1)
    await page.context().close()
  })
})

describe('heatmaps (data-heatmaps)', () => {
  it('sends one Heatmap event with a grid of sampled moves and the click points when the page is hidden', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/heatmap.html')
    for (let i = 0; i < 10; i++) {
      await page.mouse.move(30 + i, 30 + i)
      await page.waitForTimeout(120)
    }
    await page.mouse.click(640, 400)
    await page.goto('about:blank')
    const [heatmap] = await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Heatmap')
    const {
      grid_columns: columns,
      grid_rows: rows,
      moves,
      clicks,
      page_width: width,
      page_height: height,
    } = heatmap!.properties as Record<string, any>
    expect(columns).toBe(20)
    expect(height).toBeGreaterThanOrEqual(2000)
    expect(rows).toBe(Math.ceil(height / (width / 20)))
    expect(moves).toHaveLength(columns * rows)
    // The sampled moves landed in the top-left cell, the move to the click in the click's cell; none went alone.
    const clickCell = Math.floor(400 / (width / 20)) * 20 + Math.floor(640 / (width / 20))
    expect(moves[0]).toBeGreaterThanOrEqual(5)
    expect(moves[clickCell]).toBeLessThanOrEqual(1)
    expect(moves.reduce((a: number, b: number) => a + b, 0)).toBe(moves[0] + moves[clickCell])
    expect(clicks).toEqual([[640, 400]])
    expect(heatmap!.properties.path).toBe('/capture/heatmap.html')
    await page.context().close()
  })
})
