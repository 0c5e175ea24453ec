import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { limits } from '@spoor/protocol'
import { build } from 'esbuild'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { waitForEvents } from '../support/events.js'

// A person's desktop Chrome: the collector flags Chromium's own HeadlessChrome agent as a bot.
const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const suite = useBrowserSuite(() => ({}), { userAgent: chrome })

// analytics.js 2.0 as a site bundles it from npm, served by a server of the site's own: a route of Playwright's would
// answer the collector's CORS preflights itself (and a document it made up has no address Chromium lets reach this
// machine's collector), and the preflights are what the test is about.
let site: { url: string; close(): Promise<void> }
beforeAll(async () => {
  const out = await build({
    stdin: {
      contents:
        "import { AnalyticsBrowser } from '@segment/analytics-next'\nwindow.AnalyticsBrowser = AnalyticsBrowser",
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
    },
    bundle: true,
    format: 'iife',
    write: false,
    logLevel: 'warning',
  })
  const html = `<!doctype html><title>Docs</title><script>${out.outputFiles[0]!.text}</script>`
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  site = {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
})
afterAll(() => site?.close())

/** A page of the site with analytics.js loaded, sending to the test collector as Segment's `apiHost` setting says. */
async function pageWithAnalytics(batching = false): Promise<Page> {
  const page = await (await suite.browser.newContext()).newPage()
  await page.goto(`${site.url}/analytics-next.html?utm_source=newsletter`)
  const collector = new URL(suite.collector.url)
  await page.evaluate(
    async ({ host, batching }) => {
      const settings = {
        apiKey: 'e2e-key',
        apiHost: `${host}/v1`,
        protocol: 'http',
        ...(batching ? { deliveryStrategy: { strategy: 'batching', config: { size: 5, timeout: 500 } } } : {}),
      }
      // cdnSettings in place of Segment's CDN, which this machine cannot reach.
      const load = (window as unknown as { AnalyticsBrowser: { load: (...args: unknown[]) => Promise<unknown[]> } })
        .AnalyticsBrowser.load
      const [analytics] = await load({ writeKey: 'e2e-key', cdnSettings: { integrations: { 'Segment.io': settings } } })
      ;(window as unknown as { analytics: unknown }).analytics = analytics
    },
    { host: collector.host, batching },
  )
  return page
}

/** Calls analytics.js's page, identify, track, group and alias; resolves to the messageId of each. */
const sendEach = (page: Page, tag: string) =>
  page.evaluate(async (tag) => {
    const analytics = (window as any).analytics
    type Sent = { event: { messageId: string }; failedDelivery(): unknown }
    const calls: Promise<Sent>[] = [
      analytics.page('Docs', `Home ${tag}`),
      analytics.identify(`user-${tag}`, { email: `${tag}@example.com`, plan: 'pro' }),
      analytics.track(`Clicked ${tag}`, { n: 1 }),
      analytics.group(`group-${tag}`, { name: 'Acme' }),
      analytics.alias(`alias-${tag}`),
    ]
    const sent = await Promise.all(calls)
    return sent.map((ctx) => ({ messageId: ctx.event.messageId, failed: Boolean(ctx.failedDelivery()) }))
  }, tag)

describe('@segment/analytics-next in Chromium, pointed at the collector', () => {
  it('delivers page, identify, track, group and alias, each once, as a person sent them', async () => {
    const page = await pageWithAnalytics()
    const sent = await sendEach(page, 'one')
    expect(sent.map((s) => s.failed)).toEqual([false, false, false, false, false])
    const ids = new Set(sent.map((s) => s.messageId))
    const lines = await waitForEvents(suite.collector.dataDir, (e) => ids.has(e.messageId), { count: 5 })
    expect(lines.map((e) => e.type).sort()).toEqual(['alias', 'group', 'identify', 'page', 'track'])
    const byType = Object.fromEntries(lines.map((e) => [e.type, e]))
    expect(byType.page).toMatchObject({ name: 'Home one', category: 'Docs' })
    expect(byType.identify).toMatchObject({ userId: 'user-one', traits: { email: 'one@example.com', plan: 'pro' } })
    expect(byType.track).toMatchObject({ event: 'Clicked one', properties: { n: 1 }, userId: 'user-one' })
    expect(byType.group).toMatchObject({ groupId: 'group-one', traits: { name: 'Acme' } })
    for (const line of lines) {
      expect(line.context).toMatchObject({
        library: { name: 'analytics.js' },
        userAgent: chrome,
        page: { path: '/analytics-next.html', title: 'Docs' },
        campaign: { source: 'newsletter' },
      })
      expect(line.context.bot).toBeUndefined()
      expect(line.anonymousId).toBe(lines[0]!.anonymousId)
      // The call's time on the browser's clock is kept, and the timestamp moved onto the collector's: while the two
      // clocks are within 30 days of each other. (A run with the collector's clock a year ahead leaves Chromium's
      // where it was: that timestamp is kept as the browser said.)
      const skew = Date.parse(line.receivedAt) - Date.parse(line.sentAt!)
      if (Math.abs(skew) <= limits.clientDelayMs) {
        expect(line.originalTimestamp).not.toBeNull()
        expect(Date.parse(line.timestamp)).toBeLessThanOrEqual(Date.parse(line.receivedAt))
      } else {
        expect(line.originalTimestamp).toBeNull()
        expect(Date.parse(line.timestamp)).toBeLessThanOrEqual(Date.parse(line.sentAt!))
      }
    }
    await page.context().close()
  })

  it('delivers its batches (deliveryStrategy batching) to /v1/b', async () => {
    const page = await pageWithAnalytics(true)
    const sent = await sendEach(page, 'batched')
    const ids = new Set(sent.map((s) => s.messageId))
    const lines = await waitForEvents(suite.collector.dataDir, (e) => ids.has(e.messageId), { count: 5 })
    expect(lines.map((e) => e.messageId).sort()).toEqual([...ids].sort())
    expect(suite.collector.requests.some((r) => r.path === '/v1/b')).toBe(true)
    await page.context().close()
  })

  it('delivers an event whose first try failed: its retries carry X-Retry-Count through the preflight', async () => {
    const page = await pageWithAnalytics()
    let failed = 0
    page.on('requestfailed', (request) => void (request.url().endsWith('/v1/t') && failed++))
    await suite.collector.stop()
    let running = false
    try {
      const messageId = await page.evaluate(async () => {
        const ctx = await (window as any).analytics.track('Retried')
        return ctx.event.messageId as string
      })
      await expect.poll(() => failed).toBeGreaterThan(0)
      await suite.collector.start()
      running = true
      const lines = await waitForEvents(suite.collector.dataDir, (e) => e.messageId === messageId, { timeout: 30_000 })
      expect(lines).toHaveLength(1)
      // Its retry asked the collector first, X-Retry-Count among the headers.
      expect(suite.collector.requests.some((r) => r.method === 'OPTIONS' && r.path === '/v1/t')).toBe(true)
    } finally {
      if (!running) await suite.collector.start()
      await page.context().close()
    }
  })
})
