import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { readEvents, waitForEvents } from '../support/events.js'

const suite = useBrowserSuite()

describe('snippet → IndexedDB → collector → NDJSON, in Chromium', () => {
  it('records the page view on load by itself, with its context', async () => {
    const page = await (await suite.browser.newContext()).newPage()
    await page.goto(suite.site.url + '/index.html?utm_source=news&utm_campaign=launch')
    const [view] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.type === 'page' && e.context.page?.search === '?utm_source=news&utm_campaign=launch',
    )
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
    const page = await (await suite.browser.newContext()).newPage()
    await page.route('**/spoor.js', async (route) => {
      // Hold the script back so the page's calls land in the stub's queue.
      await new Promise((resolve) => setTimeout(resolve, 1000))
      await route.continue()
    })
    // Async scripts hold the load event back; DOMContentLoaded comes before the script runs.
    await page.goto(suite.site.url + '/index.html?early', { waitUntil: 'domcontentloaded' })
    await page.evaluate(() => {
      const spoor = (window as any).spoor
      spoor('identify', 'early-user', { email: 'early@example.com' })
      spoor('track', 'Early Click')
    })
    const [click] = await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Early Click')
    expect(click).toMatchObject({ userId: 'early-user', context: { traits: { email: 'early@example.com' } } })
    const [view] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.type === 'page' && e.context.page?.search === '?early',
    )
    expect(view!.userId).toBe('early-user')
    await page.context().close()
  })

  it('keeps a track made while the collector is down through a reload, and delivers it once it is up', async () => {
    const page = await (await suite.browser.newContext()).newPage()
    await page.goto(suite.site.url + '/index.html?offline-test')
    await waitForEvents(suite.collector.dataDir, (e) => e.context.page?.search === '?offline-test')
    await suite.collector.stop()

    await page.click('#buy')
    // Let a send fail, then reload: the event must come from IndexedDB, not from the old page's memory.
    await page.waitForTimeout(2500)
    await page.reload()
    await page.waitForTimeout(1500)
    expect(
      (await readEvents(suite.collector.dataDir)).filter(
        (e) => e.event === 'Order Completed' && e.context.page?.search === '?offline-test',
      ),
    ).toEqual([])

    await suite.collector.start()
    const delivered = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Order Completed' && e.context.page?.search === '?offline-test',
      { timeout: 40_000 },
    )
    expect(delivered).toHaveLength(1)
    expect(delivered[0]!.properties).toEqual({ order_id: 'o-1', total: 30, currency: 'EUR' })
    // Give late retries a moment: the event must still be there exactly once.
    await page.waitForTimeout(1500)
    const all = (await readEvents(suite.collector.dataDir)).filter((e) => e.messageId === delivered[0]!.messageId)
    expect(all).toHaveLength(1)
    await page.context().close()
  })

  it('delivers an event tracked just before the page is left, by beacon', async () => {
    const context = await suite.browser.newContext()
    const page = await context.newPage()
    await page.goto(suite.site.url + '/index.html?unload-test')
    // Past the send a page makes a second after it starts (of what earlier pages left), which would otherwise carry
    // the event by fetch whenever the machine is slow enough to let that second pass before the page is left. The
    // next send is then the interval's, two seconds after the event.
    await page.waitForTimeout(1500)
    await page.evaluate(() => (window as any).spoor('track', 'Last Words', { at: 'unload' }))
    await page.goto('about:blank')
    const [event] = await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Last Words')
    expect(event!.properties).toEqual({ at: 'unload' })
    // It left as a beacon (no-cors: text/plain needs no preflight), not by the fetch that would have come later.
    const carriers = suite.collector.requests.filter((r) => r.path === '/v1/batch' && r.body.includes('Last Words'))
    expect(carriers.map((r) => r.mode)).toContain('no-cors')
    await context.close()
  })

  it('loads once when the tag is pasted twice', async () => {
    const page = await (await suite.browser.newContext()).newPage()
    await page.goto(suite.site.url + '/index.html?twice')
    await page.evaluate(
      (src) =>
        new Promise((resolve) => {
          const again = document.createElement('script')
          again.src = src
          again.dataset.writeKey = 'e2e-key'
          again.onload = resolve
          document.head.append(again)
        }),
      suite.site.url + '/spoor.js',
    )
    await page.evaluate(() => (window as any).spoor('track', 'After Second Tag'))
    await waitForEvents(suite.collector.dataDir, (e) => e.event === 'After Second Tag')
    await page.waitForTimeout(2500)
    const events = await readEvents(suite.collector.dataDir)
    expect(events.filter((e) => e.event === 'After Second Tag')).toHaveLength(1)
    expect(events.filter((e) => e.type === 'page' && e.context.page?.search === '?twice')).toHaveLength(1)
    await page.context().close()
  })
})
