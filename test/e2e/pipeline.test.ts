import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { launchChromium } from '../support/chromium.js'
import { startCollector, type TestCollector } from '../support/collector.js'
import { readEvents, waitForEvents } from '../support/events.js'
import { startSite, type SiteServer } from '../support/site-server.js'

let browser: Browser
let collector: TestCollector
let site: SiteServer

beforeAll(async () => {
  browser = await launchChromium()
  collector = await startCollector()
  site = await startSite(() => collector.url)
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
  await collector?.stop()
})

describe('snippet → IndexedDB → collector → NDJSON, in Chromium', () => {
  it('records the page view on load by itself, with its context', async () => {
    const page = await (await browser.newContext()).newPage()
    await page.goto(site.url + '/index.html?utm_source=news&utm_campaign=launch')
    const [view] = await waitForEvents(collector.dataDir, (e) => e.type === 'page' && e.context.page?.search === '?utm_source=news&utm_campaign=launch')
    expect(view).toMatchObject({
      writeKey: 'e2e-key',
      properties: { path: '/index.html', title: 'Fixture home' },
      context: {
        library: { name: 'spoor' },
        campaign: { source: 'news', name: 'launch' },
        userAgent: expect.stringContaining('Chrome'),
        ip: '127.0.0.0',
      },
    })
    await page.context().close()
  })

  it('replays calls made before the script loaded, identify first', async () => {
    const page = await (await browser.newContext()).newPage()
    await page.route('**/spoor.js', async (route) => {
      // Hold the script back so the page's calls land in the stub's queue.
      await new Promise((resolve) => setTimeout(resolve, 1000))
      await route.continue()
    })
    // Async scripts hold the load event back; DOMContentLoaded comes before the script runs.
    await page.goto(site.url + '/index.html?early', { waitUntil: 'domcontentloaded' })
    await page.evaluate(() => {
      const spoor = (window as any).spoor
      spoor('identify', 'early-user', { email: 'early@example.com' })
      spoor('track', 'Early Click')
    })
    const [click] = await waitForEvents(collector.dataDir, (e) => e.event === 'Early Click')
    expect(click).toMatchObject({ userId: 'early-user', context: { traits: { email: 'early@example.com' } } })
    const [view] = await waitForEvents(collector.dataDir, (e) => e.type === 'page' && e.context.page?.search === '?early')
    expect(view!.userId).toBe('early-user')
    await page.context().close()
  })

  it('keeps a track made while the collector is down through a reload, and delivers it once it is up', async () => {
    const page = await (await browser.newContext()).newPage()
    await page.goto(site.url + '/index.html?offline-test')
    await waitForEvents(collector.dataDir, (e) => e.context.page?.search === '?offline-test')
    await collector.stop()

    await page.click('#buy')
    // Let a send fail, then reload: the event must come from IndexedDB, not from the old page's memory.
    await page.waitForTimeout(2500)
    await page.reload()
    await page.waitForTimeout(1500)
    expect((await readEvents(collector.dataDir)).filter((e) => e.event === 'Order Completed' && e.context.page?.search === '?offline-test')).toEqual([])

    await collector.start()
    const delivered = await waitForEvents(
      collector.dataDir,
      (e) => e.event === 'Order Completed' && e.context.page?.search === '?offline-test',
      { timeout: 40_000 },
    )
    expect(delivered).toHaveLength(1)
    expect(delivered[0]!.properties).toEqual({ order_id: 'o-1', total: 30, currency: 'EUR' })
    // Give late retries a moment: the event must still be there exactly once.
    await page.waitForTimeout(1500)
    const all = (await readEvents(collector.dataDir)).filter((e) => e.messageId === delivered[0]!.messageId)
    expect(all).toHaveLength(1)
    await page.context().close()
  })

  it('delivers an event tracked just before the page is left, by beacon', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(site.url + '/index.html?unload-test')
    await page.evaluate(() => (window as any).spoor('track', 'Last Words', { at: 'unload' }))
    await page.goto('about:blank')
    const [event] = await waitForEvents(collector.dataDir, (e) => e.event === 'Last Words')
    expect(event!.properties).toEqual({ at: 'unload' })
    // It left as a beacon (no-cors: text/plain needs no preflight), not by the fetch that would have come later.
    const carriers = collector.requests.filter((r) => r.path === '/v1/batch' && r.body.includes('Last Words'))
    expect(carriers.map((r) => r.mode)).toContain('no-cors')
    await context.close()
  })

  it('loads once when the tag is pasted twice', async () => {
    const page = await (await browser.newContext()).newPage()
    await page.goto(site.url + '/index.html?twice')
    await page.evaluate(
      (src) =>
        new Promise((resolve) => {
          const again = document.createElement('script')
          again.src = src
          again.dataset.writeKey = 'e2e-key'
          again.onload = resolve
          document.head.append(again)
        }),
      site.url + '/spoor.js',
    )
    await page.evaluate(() => (window as any).spoor('track', 'After Second Tag'))
    await waitForEvents(collector.dataDir, (e) => e.event === 'After Second Tag')
    await page.waitForTimeout(2500)
    const events = await readEvents(collector.dataDir)
    expect(events.filter((e) => e.event === 'After Second Tag')).toHaveLength(1)
    expect(events.filter((e) => e.type === 'page' && e.context.page?.search === '?twice')).toHaveLength(1)
    await page.context().close()
  })
})
