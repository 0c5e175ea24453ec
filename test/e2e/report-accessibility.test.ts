import { createRequire } from 'node:module'
import { createApp, parseConfig, presentsToken } from '@spoor/collector'
import { campaignStats, instrumentEmail, readEventLines } from '@spoor/email'
import { createNdjsonSink } from '@spoor/log'
import { buildReport, dashboard, renderEmailReport } from '@spoor/report'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { launchChromium } from '../support/chromium.js'
import { attributeUrls, chromeUserAgent, emailApp, fillIn, pathOf, signingKey } from '../support/email-helpers.js'
import { writeKey } from '../support/helpers.js'
import { shopKey, storyEnd, writeShopData } from '../support/shop-data.js'

// axe-core's own build, injected into each page as a script tag: the rules a reviewer runs for WCAG.
const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const wcagAA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']
const token = 'accessibility-dashboard-token-0123456789'
// The pages are served from memory, through the Hono apps' `request`: no port is opened.
const origin = 'http://spoor.test'

let browser: Browser
let context: BrowserContext
let reportHtml = ''
let emailHtml = ''
let emptyHtml = ''

/** Clicks on two of the shop's pages, as the clicks plugin sends them: the heatmap then offers a tab per page. */
const clicks = ['/tea', '/tea', '/pot'].map((path, i) => ({
  type: 'track',
  event: 'Element Clicked',
  anonymousId: `anon-clicker-${i}`,
  context: { page: { path, url: `https://shop.example${path}` } },
  properties: { x: 200 + i * 100, y: 300, page_width: 1280, page_height: 2000, text: 'Add to cart', selector: '#add' },
}))

/** People open the example of a campaign and click it; Apple Mail Privacy Protection fetches one pixel. */
async function emailPage(): Promise<string> {
  const email = instrumentEmail(
    '<html><head><title>Tea, 20% off</title></head><body><a href="https://shop.example/tea">Tea</a></body></html>',
    { campaign: 'spring', writeKey, base: 'https://t.example.com', signingKey, recipient: '{{id}}', emailId: 'e1' },
  )
  const { app, sink, dataDir } = await emailApp()
  const get = (url: string, userAgent = chromeUserAgent) =>
    app.request(pathOf(url), { headers: { 'user-agent': userAgent } })
  for (const id of ['ada', 'bob']) {
    const mail = fillIn(email.html, { id })
    await get(attributeUrls(mail, 'src')[0]!)
    await get(attributeUrls(mail, 'href')[0]!)
  }
  await get(attributeUrls(fillIn(email.html, { id: 'carol' }), 'src')[0]!, 'Mozilla/5.0')
  await sink.close()
  return renderEmailReport(campaignStats(await readEventLines(dataDir)))
}

beforeAll(async () => {
  const shop = await writeShopData()
  const config = parseConfig({
    sites: [{ writeKey: shopKey, name: 'Shop', origins: ['https://shop.example'] }],
    dashboard: { token },
  })
  vi.useFakeTimers({ toFake: ['Date'] })
  try {
    vi.setSystemTime(Date.parse(storyEnd))
    const sink = createNdjsonSink({ dataDir: shop.dataDir })
    const collector = createApp({ config, sink, snippetPath: '/nonexistent' })
    const sent = await collector.request('/v1/batch', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://shop.example' },
      body: JSON.stringify({ writeKey: shopKey, batch: clicks }),
    })
    expect(sent.status).toBe(200)
    await sink.close()
  } finally {
    vi.useRealTimers()
  }
  // The dashboard's clock: an hour after the story, which the default 30 days and the real-time view both see.
  const now = () => new Date(Date.parse(storyEnd) + 3_600_000)
  const app = dashboard({ config, dataDir: shop.dataDir, presentsToken, cacheMs: 0, now })
  const empty = dashboard({ config, dataDir: `${shop.dir}/no-data`, presentsToken, cacheMs: 0, now })
  const report = await buildReport({
    dataDir: shop.dataDir,
    from: new Date(Date.parse(storyEnd) - 86_400_000),
    to: now(),
    now: now(),
    title: 'Shop',
  })
  reportHtml = report.html
  emailHtml = await emailPage()
  emptyHtml = await (await empty.request('/dashboard', { headers: { authorization: `Bearer ${token}` } })).text()

  browser = await launchChromium()
  // axe is a script the pages' policy rightly refuses: the audit alone lifts it. The dashboard's own headers are
  // served as they are.
  context = await browser.newContext({ bypassCSP: true })
  await context.route(`${origin}/**`, async (route) => {
    const url = new URL(route.request().url())
    if (url.pathname === '/report.html') return route.fulfill({ contentType: 'text/html', body: reportHtml })
    if (url.pathname === '/email.html') return route.fulfill({ contentType: 'text/html', body: emailHtml })
    if (url.pathname === '/empty.html') return route.fulfill({ contentType: 'text/html', body: emptyHtml })
    // The browser's Accept goes through: a view the dashboard refuses is a page for a browser, JSON for a script.
    const response = await app.request(url.pathname + url.search, {
      headers: { authorization: `Bearer ${token}`, accept: route.request().headers().accept ?? '' },
    })
    return route.fulfill({
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: Buffer.from(await response.arrayBuffer()),
    })
  })
})

afterAll(async () => {
  await context?.close()
  await browser?.close()
})

/** The pages a site owner reads, by name. */
const pages: Record<string, string> = {
  dashboard: '/dashboard',
  'a filtered view': '/dashboard?page=%2Ftea&not_channel=Email',
  'a custom range': '/dashboard?from=2026-03-30&to=2026-03-31',
  'an empty data folder': '/empty.html',
  'the report file': '/report.html',
  'the email report': '/email.html',
  'a view that cannot be shown': '/dashboard?from=2026-03-31&to=2026-03-30',
}

/** The WCAG 2.1 A/AA (and 2.2 AA) rules axe-core finds broken on a page, with where. */
async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axeSource })
  const result = await page.evaluate(
    (tags) =>
      (
        window as unknown as {
          axe: {
            run(
              context: Document,
              options: object,
            ): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>
          }
        }
      ).axe.run(document, { runOnly: { type: 'tag', values: tags } }),
    wcagAA,
  )
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

describe('the dashboard and report pages, for people using assistive technology', () => {
  it.each(Object.entries(pages))('%s breaks no WCAG 2.1 AA rule axe-core checks', async (_name, path) => {
    const page = await context.newPage()
    await page.goto(origin + path)
    expect(await violations(page)).toEqual([])
    await page.close()
  })

  it('the real-time view, which reloads itself, has a link that stops it, and the view then breaks no rule', async () => {
    const page = await context.newPage()
    await page.goto(`${origin}/dashboard?period=realtime`)
    const refresh = page.locator('meta[http-equiv="refresh"]')
    expect(await refresh.getAttribute('content')).toBe('30')
    // The reload is the one rule the refreshing page breaks; the link ahead of every panel is the way out of it.
    expect(await violations(page)).toEqual([expect.stringMatching(/^meta-refresh: /)])
    await page.getByRole('link', { name: 'Stop reloading' }).click()
    expect(page.url()).toContain('refresh=off')
    expect(await refresh.count()).toBe(0)
    expect(await violations(page)).toEqual([])
    // Its links keep it stopped; it reloads again on the reader's word.
    expect(await page.getByRole('link', { name: 'Today' }).getAttribute('href')).toContain('refresh=off')
    await page.getByRole('link', { name: 'Reload every 30 s' }).click()
    expect(await refresh.getAttribute('content')).toBe('30')
    await page.close()
  })

  it('names each CSV link by its panel, so that a list of the links says which is which', async () => {
    const page = await context.newPage()
    await page.goto(`${origin}/dashboard`)
    const exports = page.locator('a.export')
    const names = await exports.evaluateAll((links) =>
      links.map((link) => [link.closest('section')!.querySelector('h3')?.textContent ?? 'At a glance', link.ariaLabel]),
    )
    expect(names.length).toBeGreaterThan(10)
    for (const [panel, name] of names) expect(name).toBe(`${panel} as CSV`)
    expect(await page.getByRole('link', { name: 'Pages as CSV' }).getAttribute('href')).toBe(
      'dashboard.csv?panel=top-pages',
    )
    await page.close()
  })

  it('switches the heatmap between pages from the keyboard, the page shown kept in the address', async () => {
    const page = await context.newPage()
    await page.goto(`${origin}/dashboard`)
    const panels = page.locator('#heatmap .tab-panel')
    expect(await panels.count()).toBe(2)
    const tabs = page.locator('#heatmap .tab-labels a')
    // Tab from the top of the page until the heatmap's first tab has the focus.
    const firstTab = await tabs.nth(0).getAttribute('href')
    let focused = ''
    for (let i = 0; i < 300 && focused !== firstTab; i++) {
      await page.keyboard.press('Tab')
      focused = await page.evaluate(() => document.activeElement?.getAttribute('href') ?? '')
    }
    expect(focused).toBe(firstTab)
    expect(await tabs.nth(0).evaluate((a) => getComputedStyle(a).outlineStyle)).toBe('solid')
    // Before any is chosen the first page shows, and its tab is drawn as the current one.
    const current = (n: number) => tabs.nth(n).evaluate((a) => getComputedStyle(a).backgroundColor)
    expect(await panels.nth(0).isVisible()).toBe(true)
    expect(await panels.nth(1).isVisible()).toBe(false)
    const drawnCurrent = await current(0)
    expect(await current(1)).not.toBe(drawnCurrent)
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    const shown = async () => {
      expect(await panels.nth(1).isVisible()).toBe(true)
      expect(await panels.nth(0).isVisible()).toBe(false)
      expect(await current(1)).toBe(drawnCurrent)
      expect(await current(0)).not.toBe(drawnCurrent)
    }
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(await tabs.nth(1).getAttribute('href'))
    await shown()
    // A reload, and the address opened elsewhere, show the same page.
    await page.reload()
    await shown()
    const shared = await context.newPage()
    await shared.goto(page.url())
    expect(await shared.locator('#heatmap .tab-panel').nth(1).isVisible()).toBe(true)
    await shared.close()
    await page.close()
  })

  it("gives the visitors chart's numbers as a table a screen reader reads, as the chart draws them", async () => {
    const page = await context.newPage()
    await page.goto(`${origin}/dashboard`)
    const chart = page.locator('#traffic')
    const table = chart.getByRole('table', { name: 'page views and visitors by interval, UTC' })
    const rows = table.locator('tbody tr')
    // A row per bar, each with the bar's count, which adds up to the headline's page views.
    const bars = await chart.locator('svg rect.bar-a title').allTextContents()
    expect(await rows.count()).toBe(bars.length)
    const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)))
    expect(cells.map(([at, views]) => `${at}: ${views} page views`)).toEqual(bars)
    const pageViews = await page.locator('[data-metric="pageviews"]').getAttribute('data-value')
    expect(cells.reduce((sum, row) => sum + Number(row[1]), 0)).toBe(Number(pageViews))
    expect(cells.some((row) => Number(row[2]) > 0)).toBe(true)
    await page.close()
  })

  it.each(Object.entries(pages))(
    '%s fits 320 CSS px, a phone or a 1280 px window zoomed 4 times, without scrolling sideways',
    async (_name, path) => {
      const page = await context.newPage()
      await page.setViewportSize({ width: 320, height: 640 })
      await page.goto(origin + path)
      // WCAG 1.4.10: only a wide table scrolls, in its own box; the page and every other element fit.
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((e) => !e.closest('.table-scroll, ol.bars .label') && e.getBoundingClientRect().right > innerWidth)
          .map((e) => `${e.tagName} ${e.className}`),
      )
      expect(wide).toEqual([])
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBe(320)
      // Nor with the text spacing a reader may set (WCAG 1.4.12).
      await page.addStyleTag({
        content:
          '*{line-height:1.5!important;letter-spacing:.12em!important;word-spacing:.16em!important}p{margin-bottom:2em!important}',
      })
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBe(320)
      // Each table box that scrolls is one a keyboard can reach.
      expect(await page.locator('.table-scroll:not([tabindex="0"])').count()).toBe(0)
      await page.close()
    },
  )

  it('names the groups of panels in words a screen reader says apart', async () => {
    const page = await context.newPage()
    await page.goto(`${origin}/dashboard`)
    expect(
      await page.getByRole('heading', { level: 2, name: 'Interaction how people meet the brand', exact: true }).count(),
    ).toBe(1)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Shop')
    await page.close()
  })

  it.each(Object.entries(pages))(
    '%s keeps every heading one level under the one it belongs to',
    async (_name, path) => {
      const page = await context.newPage()
      await page.goto(origin + path)
      // Panels are h3 under their group's h2, so that a list of headings shows which group each belongs to.
      const levels = await page.evaluate(() =>
        [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1])),
      )
      expect(levels[0]).toBe(1)
      for (let i = 1; i < levels.length; i++) expect(levels[i]).toBeLessThanOrEqual(levels[i - 1]! + 1)
      expect(await page.locator('.group .card h2').count()).toBe(0)
      await page.close()
    },
  )

  it("keeps the header's text at 4.5:1 over every colour of its gradient, and its links' when pointed at", async () => {
    const page = await context.newPage()
    await page.goto(`${origin}/dashboard`)
    // axe-core cannot judge text over a gradient (it reports it for a person to check): the check is done here, over
    // each of the gradient's colours. A linear gradient between two colours is never lighter than the lighter one.
    const worst = async () =>
      page.evaluate(() => {
        const rgba = (css: string) => {
          const [r = 0, g = 0, b = 0, a = 1] = css.match(/[\d.]+/g)!.map(Number)
          return [r, g, b, a] as const
        }
        const over = (top: readonly number[], alpha: number, under: readonly number[]) =>
          [0, 1, 2].map((i) => top[i]! * alpha + under[i]! * (1 - alpha))
        const luminance = (rgb: number[]) => {
          const [r, g, b] = rgb.map((v) => {
            const c = v / 255
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
          })
          return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
        }
        const ratio = (a: number[], b: number[]) => {
          const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x)
          return (light! + 0.05) / (dark! + 0.05)
        }
        const header = document.querySelector('header.top')!
        const stops = getComputedStyle(header)
          .backgroundImage.match(/rgba?\([^)]*\)/g)!
          .map(rgba)
        const texts = [...header.querySelectorAll('*')].filter((e) =>
          [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim()),
        )
        let least = Infinity
        for (const stop of stops) {
          for (const element of texts) {
            // What lies under the text: the gradient's colour, then each box's own background, from the header in.
            const chain: Element[] = []
            for (let e: Element | null = element; e && e !== header; e = e.parentElement) chain.unshift(e)
            let under: number[] = [...stop.slice(0, 3)]
            let opacity = 1
            for (const e of chain) {
              const style = getComputedStyle(e)
              const [r, g, b, a] = rgba(style.backgroundColor)
              under = over([r, g, b], a, under)
              opacity *= Number(style.opacity)
            }
            const [r, g, b, a] = rgba(getComputedStyle(element).color)
            least = Math.min(least, ratio(over([r, g, b], a * opacity, under), under))
          }
        }
        return { least, stops: stops.length, texts: texts.length }
      })
    const resting = await worst()
    expect(resting.stops).toBeGreaterThanOrEqual(2)
    expect(resting.texts).toBeGreaterThanOrEqual(4)
    expect(resting.least).toBeGreaterThanOrEqual(4.5)
    await page.locator('nav.kinds a').first().hover()
    expect((await worst()).least).toBeGreaterThanOrEqual(4.5)
    await page.close()
  })

  it('gives each view its own title: its period and filters', async () => {
    const page = await context.newPage()
    const titles: string[] = []
    for (const path of [pages.dashboard!, pages['a filtered view']!, pages['a custom range']!]) {
      await page.goto(origin + path)
      titles.push(await page.title())
    }
    expect(titles).toEqual([
      'Shop · Last 30 days · spoor report',
      'Shop · Last 30 days · page: /tea · channel is not: Email · spoor report',
      'Shop · 2026-03-30 → 2026-03-31 · spoor report',
    ])
    await page.close()
  })

  it('offers the keyboard a way past the header and the toolbar, straight to the figures', async () => {
    const page = await context.newPage()
    await page.goto(`${origin}${pages['a filtered view']}`)
    await page.keyboard.press('Tab')
    const skip = page.getByRole('link', { name: 'Skip to the figures' })
    expect(await skip.evaluate((link) => link === document.activeElement)).toBe(true)
    // Shown while it has the focus, in view and readable.
    const box = (await skip.boundingBox())!
    expect(box.y).toBeGreaterThanOrEqual(0)
    expect(box.height).toBeGreaterThan(10)
    await page.keyboard.press('Enter')
    await page.keyboard.press('Tab')
    // The next stop is in the figures, past every link of the header and the toolbar.
    expect(await page.evaluate(() => document.activeElement!.closest('header, #controls') === null)).toBe(true)
    expect(await page.evaluate(() => document.activeElement!.closest('#overview') !== null)).toBe(true)
    await page.close()
  })

  it("groups a filtered view's active filters under a name, each chip's links saying what they do", async () => {
    const page = await context.newPage()
    await page.goto(`${origin}${pages['a filtered view']}`)
    const filters = page.getByRole('group', { name: 'Filters', exact: true })
    expect(await filters.locator('.filter-chip').count()).toBe(2)
    expect(await filters.getByRole('link', { name: 'Remove the page filter' }).count()).toBe(1)
    await page.close()
  })
})
