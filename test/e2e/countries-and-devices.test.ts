import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { clientIpResolver, createApp, loadConfig, type RunningServer, startServer } from '@spoor/collector'
import { createNdjsonSink, type NdjsonSink } from '@spoor/log'
import type { EventLine } from '@spoor/protocol'
import { buildReport } from '@spoor/report'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/chromium.js'
import { readEvents, waitForEvents } from '../support/events.js'
import { type ForwardingProxy, startForwardingProxy } from '../support/forwarding-proxy.js'
import { tempDir } from '../support/helpers.js'
import { runningClock } from '../support/running-clock.js'

const shop = fileURLToPath(new URL('../../examples/shop/', import.meta.url))
// A person's desktop Chrome: headless Chromium's own agent says HeadlessChrome, a bot's.
const person = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
// Public addresses the datasets place in Germany (heise.de's IPv4, Deutsche Telekom's IPv6 block), and the
// regions and cities the workspace's pinned city set (DB-IP's) names for them.
const germany = '193.99.144.80'
const germanyV6 = '2003::1'
const hanover = { country: 'DE', region: 'Lower Saxony', city: 'Hanover (Buchholz-Kleefeld)' }
const bonn = { country: 'DE', region: 'North Rhine-Westphalia', city: 'Bonn (Gronau)' }

let browser: Browser
let server: RunningServer
let sink: NdjsonSink
let dataDir: string
const proxies: ForwardingProxy[] = []
const clock = runningClock()

beforeAll(async () => {
  dataDir = join(await tempDir('spoor-geo-'), 'data')
  sink = createNdjsonSink({ dataDir, maxFileAgeMs: 200, now: clock.now })
  // One proxy of ours in front (each visitor's `startForwardingProxy`): its X-Forwarded-For entry is the client.
  const app = createApp({
    config: await loadConfig(shop + 'spoor.config.json'),
    sink,
    staticDir: shop + 'public',
    clientIp: clientIpResolver(1),
    now: clock.now,
  })
  server = await startServer({ app, sink, port: 0, hostname: '127.0.0.1' })
  browser = await launchChromium({ userAgent: person })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  for (const proxy of proxies) await proxy.close()
  await server?.close()
})

/**
 * A new visitor at `address`, with a screen `width` pixels wide, browsing two pages of the shop through a load
 * balancer of the shop's, which writes the visitor's address in X-Forwarded-For.
 */
async function visit(address: string, width: number): Promise<Page> {
  const proxy = await startForwardingProxy(server.url, address)
  proxies.push(proxy)
  const context = await browser.newContext({ viewport: { width, height: 800 }, screen: { width, height: 800 } })
  const page = await context.newPage()
  await page.goto(proxy.url + '/')
  await page.click('text=Sencha green tea')
  return page
}

const pageViewsOf = (lines: EventLine[], visitor: string) =>
  lines.filter((e) => e.type === 'page' && e.anonymousId === visitor)

describe('countries and devices, from the example shop in Chromium', () => {
  let desktop: string
  let phone: string

  it('write the country, region, city, browser, OS and device type on the lines, and the masked address only', async () => {
    const laptop = await visit(germany, 1280)
    const small = await visit(germanyV6, 390)
    desktop = await laptop.evaluate(() => localStorage.getItem('spoor.aid')!)
    phone = await small.evaluate(() => localStorage.getItem('spoor.aid')!)
    await waitForEvents(dataDir, (e) => e.type === 'page' && e.anonymousId === desktop, { count: 2 })
    await waitForEvents(dataDir, (e) => e.type === 'page' && e.anonymousId === phone, { count: 2 })
    const lines = await readEvents(dataDir)
    for (const line of pageViewsOf(lines, desktop)) {
      expect(line.context).toMatchObject({
        ip: '193.99.0.0',
        location: hanover,
        browser: { name: 'Chrome', version: '131' },
        os: { name: 'Linux' },
        device: { type: 'desktop' },
        screen: { width: 1280 },
      })
    }
    for (const line of pageViewsOf(lines, phone)) {
      expect(line.context).toMatchObject({ ip: '2003::', location: bonn, screen: { width: 390 } })
    }
    // Whatever the page sent, on every line: the full address is nowhere.
    for (const line of lines) {
      expect(JSON.stringify(line)).not.toContain(germany)
      expect(JSON.stringify(line)).not.toContain('2003::1"')
    }
    await laptop.context().close()
    await small.context().close()
    // What the pages sent as they were closed (engagement, web vitals) came through the proxy too.
    await waitForEvents(dataDir, (e) => e.event === 'Page Engaged' && e.anonymousId === desktop)
    const visitors = (await readEvents(dataDir)).filter((e) => e.anonymousId === desktop || e.anonymousId === phone)
    expect(visitors.filter((e) => e.context.location?.country !== 'DE').map((e) => e.event ?? e.type)).toEqual([])
  })

  it('show in the report’s Countries and devices section, regions and cities with their source', async () => {
    // Published files only: wait until both visitors' page views are in them (they were, above), then build.
    // Every event arrived on the collector's clock, since it started.
    const now = clock.now()
    const { html } = await buildReport({
      dataDir,
      from: clock.origin,
      to: new Date(now.getTime() + 60_000),
      now,
    })
    const section = /<section[^>]*data-section="devices"[\s\S]*?<\/section>/.exec(html)![0]
    const value = (metric: string) =>
      Number(new RegExp(`data-metric="${metric.replace(/[()]/g, '\\$&')}" data-value="(\\d+)"`).exec(section)?.[1] ?? 0)
    expect(section).toContain('Germany (DE)')
    expect(value('country:DE')).toBe(2)
    expect(value('region:Lower Saxony, DE')).toBe(1)
    expect(value('region:North Rhine-Westphalia, DE')).toBe(1)
    expect(value('city:Hanover (Buchholz-Kleefeld), Lower Saxony, DE')).toBe(1)
    expect(value('city:Bonn (Gronau), North Rhine-Westphalia, DE')).toBe(1)
    // DB-IP's licence: a page showing its results links to it.
    expect(section).toContain('<a href="https://db-ip.com">IP Geolocation by DB-IP</a>')
    expect(value('browser:Chrome')).toBe(2)
    expect(value('os:Linux')).toBe(2)
    expect(value('device-type:desktop')).toBe(2)
    expect(value('screen:Laptop')).toBe(1)
    expect(value('screen:Mobile')).toBe(1)
  })
})
