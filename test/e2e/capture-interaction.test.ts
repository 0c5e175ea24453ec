import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { readEvents, waitForEvents } from '../support/events.js'
import { freshPage } from './capture-support.js'

const suite = useBrowserSuite()

describe('page views in a single-page app (core build)', () => {
  it('counts load, pushState, a path-changing replaceState and popstate once each, and nothing else', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/spa.html?spa-run')
    // A navigation's view waits 300 ms for its title; one left by the back button before then is not counted, so
    // the visitor here stays a moment on each page, as people do.
    const stay = () => page.waitForTimeout(400)
    await page.click('#push') // → /capture/spa/two
    await page.click('#replace-query') // same path, new query: no page view (the push's is recorded first)
    await page.click('#replace-then-push') // a router's replaceState + pushState for one navigation: one view
    await stay()
    await page.click('#hash') // fragment only: no page view without data-hash
    await stay()
    await page.goBack() // popstate from #section back to /capture/spa/three: same page, none
    await stay()
    await page.goBack() // the entry the router's replaceState rewrote to /capture/spa/three: none
    await stay()
    await page.goBack() // popstate → the landing URL: a page view
    await page.evaluate(() => (window as any).spoor('track', 'SPA Done'))
    const done = await waitForEvents(suite.collector.dataDir, (e) => e.event === 'SPA Done')
    await page.waitForTimeout(500)
    const views = (await readEvents(suite.collector.dataDir)).filter(
      (e) => e.type === 'page' && e.anonymousId === done[0]!.anonymousId,
    )
    expect(views.map((e) => String(e.properties.path) + String(e.properties.search))).toEqual([
      '/capture/spa.html?spa-run',
      '/capture/spa/two',
      '/capture/spa/three',
      '/capture/spa.html?spa-run',
    ])
    // Every page view of the visit shares one session.
    expect(new Set(views.map((e) => (e.context.session as { id: string }).id)).size).toBe(1)
    await page.context().close()
  })
})

describe('one tracker per page', () => {
  it('counts one page view and one click when the core and the full tag are both pasted', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/twice.html?twice')
    await page.waitForFunction(() => [...document.scripts].filter((s) => s.src.includes('spoor')).length === 2)
    await page.waitForTimeout(300)
    await page.click('#plain')
    await page.goto('about:blank')
    await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Element Clicked' && e.context.page?.search === '?twice',
    )
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const events = (await readEvents(suite.collector.dataDir)).filter((e) => e.context.page?.search === '?twice')
    expect(events.filter((e) => e.type === 'page')).toHaveLength(1)
    expect(events.filter((e) => e.event === 'Element Clicked')).toHaveLength(1)
    await page.context().close()
  })
})

describe('clicks (core build)', () => {
  it('records Element Clicked with selector, text, coordinates and page size', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/clicks.html?coords')
    const box = (await page.locator('#plain').boundingBox())!
    await page.mouse.click(box.x + 5, box.y + 6)
    const [click] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Element Clicked' && e.context.page?.search === '?coords',
    )
    expect(click!.properties).toMatchObject({
      selector: '#plain',
      tag: 'button',
      text: 'Buy now',
      href: null,
      x: Math.round(box.x + 5),
      y: Math.round(box.y + 6),
      client_x: Math.round(box.x + 5),
      client_y: Math.round(box.y + 6),
      page_height: 3000,
      viewport_width: page.viewportSize()!.width,
      viewport_height: page.viewportSize()!.height,
      outbound: false,
      download: false,
      rage: false,
    })
    expect(click!.properties.page_width).toBeGreaterThan(0)

    await page.evaluate(() => scrollTo(0, 1500))
    await page.click('#far')
    const [far] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Element Clicked' && e.properties.selector === '#far' && e.context.page?.search === '?coords',
    )
    // Page coordinates include the scroll; viewport coordinates do not.
    expect(far!.properties.y).toBeGreaterThanOrEqual(2000)
    expect((far!.properties.y as number) - (far!.properties.client_y as number)).toBe(1500)
    await page.context().close()
  })

  it('never records masked text or a field value, and flags outbound links, downloads, rage clicks', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/clicks.html?mask')
    // Links stay on the page: a later (bubbling) handler cancels their navigation, as a router would.
    await page.evaluate(() => document.addEventListener('click', (event) => event.preventDefault()))
    await page.click('#masked-button')
    await page.click('#account')
    await page.click('#secret')
    await page.keyboard.type('typed-secret')
    await page.click('#outbound')
    await page.click('#download')
    for (let i = 0; i < 4; i++) await page.click('#plain', { position: { x: 3, y: 3 } })
    await page.click('#declared')
    await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Newsletter Signup')
    await page.waitForTimeout(300)
    const clicks = (await readEvents(suite.collector.dataDir)).filter(
      (e) => e.event === 'Element Clicked' && e.context.page?.search === '?mask',
    )
    const by = (selector: string) => clicks.filter((e) => e.properties.selector === selector).map((e) => e.properties)
    expect(by('#masked-button')[0]!.text).toBe('Hello there')
    expect(by('#account')[0]).toMatchObject({ text: '', href: expect.stringMatching(/\/account$/) })
    expect(by('#secret')[0]).toMatchObject({ tag: 'input', text: '' })
    expect(by('#outbound')[0]).toMatchObject({ outbound: true, download: false, href: 'https://example.org/away' })
    expect(by('#download')[0]).toMatchObject({ outbound: false, download: true })
    expect(by('#plain').map((p) => p.rage)).toEqual([false, false, true, true])
    // Nothing this visitor sent holds the masked name or a password.
    const sent = JSON.stringify(
      (await readEvents(suite.collector.dataDir)).filter((e) => e.anonymousId === clicks[0]!.anonymousId),
    )
    expect(sent).not.toContain('Ada')
    expect(sent).not.toContain('hunter2')
    expect(sent).not.toContain('typed-secret')
    const [declared] = await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Newsletter Signup')
    expect(declared!.properties).toEqual({ list_name: 'weekly', source: 'footer' })
    await page.context().close()
  })
})

describe('campaigns and sessions', () => {
  it('keeps the email click id (spoor_c) and utm fields for the session: an order on a later page carries them', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/spa.html?spoor_c=abc&utm_source=newsletter&utm_campaign=spring')
    await page.click('#next') // a real navigation to clicks.html, no campaign parameters in its URL
    await page.waitForURL('**/clicks.html')
    await page.click('#order')
    const [order] = await waitForEvents(
      suite.collector.dataDir,
      (e) =>
        e.event === 'Order Completed' && e.properties.order_id === 'o-click' && e.context.campaign?.spoor_c === 'abc',
    )
    expect(order!.context.page?.path).toBe('/capture/clicks.html')
    expect(order!.context.campaign).toEqual({ spoor_c: 'abc', source: 'newsletter', name: 'spring' })
    expect(order!.context.first_campaign).toEqual({ spoor_c: 'abc', source: 'newsletter', name: 'spring' })
    const [landing] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.type === 'page' && e.context.page?.search === '?spoor_c=abc&utm_source=newsletter&utm_campaign=spring',
    )
    expect(order!.context.session).toEqual(landing!.context.session)
    await page.context().close()
  })

  it('redacts secrets and email addresses from every recorded URL', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(
      suite.site.url + '/capture/clicks.html?email=ada%40example.com&access_token=t0k3n&q=teapot&ref=ada@example.com',
    )
    const [view] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.type === 'page' && !!e.context.page?.search?.includes('q=teapot'),
    )
    expect(view!.context.page?.search).toBe('?email=redacted&access_token=redacted&q=teapot&ref=redacted')
    expect(view!.properties.url).toMatch(/\?email=redacted&access_token=redacted&q=teapot&ref=redacted$/)
    // The tag sends the URL as the page has it; the collector redacts it before writing anything, anywhere.
    const dataDir = suite.collector.dataDir
    const files = (await readdir(dataDir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile())
    const written = await Promise.all(files.map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')))
    for (const secret of ['t0k3n', 'ada%40example.com', 'ada@example.com'])
      expect(written.some((text) => text.includes(secret))).toBe(false)
    await page.context().close()
  })
})
