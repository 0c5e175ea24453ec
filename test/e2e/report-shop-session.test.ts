import { mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { attributeConversions, campaignStats } from '@spoor/email'
import { bigQuerySchema, clickHouseColumns, type EventLine } from '@spoor/protocol'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/chromium.js'
import { readEvents } from '../support/events.js'
import { instrumentExampleEmail } from '../support/example-email.js'
import { tempDir } from '../support/helpers.js'
import { runSpoor } from '../support/run-cli.js'
import { runShopSession, type ShopSession } from '../support/shop-session.js'
import { type SpoorServe, serveShop, writeDemoConfig } from '../support/spoor-serve.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const results = join(root, 'test-results')
const token = 'report-dashboard-token-0123456789'
// The example shop's site (examples/shop/spoor.config.json).
const writeKey = 'demo-shop-key'
const cartWindow = '15s'
// People's browsers. Headless Chromium says "HeadlessChrome", which the collector rightly flags as a bot, and the
// cart detector rightly ignores.
const person = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

let browser: Browser
let collector: SpoorServe | undefined
// Where the shop was served: its own links are named by it in the report.
let shopUrl = ''
let dataDir: string
let session: ShopSession

async function stopCollector() {
  await collector?.stop()
  collector = undefined
}

/** Waits until every file the collector opened is published. */
async function settled() {
  for (let i = 0; i < 100; i++) {
    const names = await readdir(join(dataDir, 'events'), { recursive: true })
    if (!names.some((name) => name.endsWith('.open'))) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The published events, one per messageId (the first arrival), as every recipe dedupes them. */
async function uniqueEvents(): Promise<EventLine[]> {
  const unique = new Map<string, EventLine>()
  for (const line of await readEvents(dataDir)) if (!unique.has(line.messageId)) unique.set(line.messageId, line)
  return [...unique.values()]
}

async function duck(): Promise<DuckDBConnection> {
  return (await DuckDBInstance.create(':memory:')).connect()
}

/** Runs the SQL of a marked block of docs/ndjson.md, with the data folder of this session. */
async function docBlock(marker: string): Promise<string[]> {
  const markdown = await readFile(join(root, 'docs/ndjson.md'), 'utf8')
  const block = new RegExp(`<!-- ${marker} -->\\s*\`\`\`sql\\n([\\s\\S]*?)\`\`\``).exec(markdown)![1]!
  return block
    .replaceAll('data/events/', `${dataDir}/events/`)
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--.*$/gm, '').trim())
}

const rows = async (connection: DuckDBConnection, sql: string) =>
  (await connection.runAndReadAll(sql))
    .getRowObjectsJS()
    .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])))

/** The example shop's config, with a dashboard token and the example email's keys. */
let config: string

beforeAll(async () => {
  browser = await launchChromium({ userAgent: person })
  const dir = await tempDir('spoor-report-')
  dataDir = join(dir, 'data')
  await mkdir(dataDir)
  config = join(dir, 'spoor.config.json')
  await writeDemoConfig(config, token)
  collector = await serveShop({ dataDir, config, cartWindow })
  shopUrl = collector.url
  const email = await instrumentExampleEmail({ base: collector.url, config, dir, campaign: 'spring-sale' })
  session = await runShopSession({ browser, shopUrl: collector.url, dataDir, email, timeout: 90_000 })
  await settled()
}, 300_000)

afterAll(async () => {
  await stopCollector()
  await browser?.close()
})

const derived = (e: EventLine) => e.context.library?.name === 'spoor-collector'

describe('the events the capture plugins sent', () => {
  it('give every cart event the whole cart, and tie each engagement report to its page view', async () => {
    const events = await uniqueEvents()
    const cartEvents = events.filter((e) =>
      /^(Product (Added|Removed)|Cart Viewed|Checkout Started|Order Completed)$/.test(e.event ?? ''),
    )
    expect(cartEvents.length).toBeGreaterThan(10)
    for (const e of cartEvents) {
      expect(e.properties, e.event!).toMatchObject({
        cart_id: expect.any(String),
        products: expect.any(Array),
        value: expect.any(Number),
        currency: 'EUR',
      })
    }
    const pageIds = new Set(events.filter((e) => e.type === 'page').map((e) => e.messageId))
    const engaged = events.filter((e) => e.event === 'Page Engaged')
    expect(engaged.length).toBeGreaterThanOrEqual(pageIds.size)
    for (const e of engaged) expect(pageIds.has(e.properties.page_view_id as string)).toBe(true)
    // People's browsers: nothing the shop's pages sent is flagged as a bot, or the detector would ignore it.
    const fromPages = events.filter((e) => e.context.library?.name === 'spoor')
    expect(fromPages.length).toBeGreaterThan(100)
    expect(fromPages.filter((e) => e.context.bot === true)).toEqual([])
  })

  it('carry the email click onto the order, which is attributed to the campaign by context.campaign.spoor_c', async () => {
    const events = await uniqueEvents()
    const order = events.find((e) => e.messageId === session.emailOrder)!
    const click = events.find((e) => e.messageId === order.context.campaign?.spoor_c)!
    expect(click).toMatchObject({
      event: 'Email Link Clicked',
      properties: { campaign_id: 'spring-sale', recipient_id: 'ada', classification: 'human' },
    })
    expect(order.context.page?.path).toBe('/checkout.html')
    const conversions = attributeConversions(events)
    expect(conversions.map((c) => [c.order.messageId, c.click.messageId, c.matchedBy])).toEqual([
      [order.messageId, click.messageId, 'campaign'],
    ])
  })
})

describe('the abandoned-cart detector, on the example shop session', () => {
  it('fired exactly for the carts that were abandoned, once each, with what a reminder needs', async () => {
    const events = await uniqueEvents()
    const abandoned = events.filter((e) => e.event === 'Cart Abandoned')
    expect(abandoned.map((e) => e.properties.cart_id).sort()).toEqual([...session.abandoned].sort())
    for (const cart of [...session.ordered, session.emptied])
      expect(abandoned.some((e) => e.properties.cart_id === cart)).toBe(false)

    const ben = abandoned.find((e) => e.properties.email === session.abandonerEmail)!
    const benEvents = events.filter((e) => e.anonymousId === ben.anonymousId && !derived(e))
    expect(ben.anonymousId).toBe(session.visitors.ben)
    expect(ben).toMatchObject({
      writeKey,
      properties: {
        products: [{ product_id: 'pot-01', price: 48, quantity: 1 }],
        value: 48,
        currency: 'EUR',
        campaign: { name: 'tea-lovers', source: 'instagram', medium: 'social' },
        last_activity_at: benEvents
          .map((e) => e.timestamp)
          .sort()
          .at(-1),
      },
    })
    const twoTabs = abandoned.find((e) => e.properties.cart_id === session.twoTabs)!
    expect((twoTabs.properties.products as { product_id: string }[]).map((p) => p.product_id).sort()).toEqual([
      'cup-01',
      'tea-02',
    ])
    expect(twoTabs.properties.value).toBe(23.9)

    const recovered = events.filter((e) => e.event === 'Cart Recovered')
    const rayOrder = events.find((e) => e.event === 'Order Completed' && e.properties.cart_id === session.recovered)!
    expect(recovered).toHaveLength(1)
    expect(recovered[0]!.properties).toMatchObject({
      cart_id: session.recovered,
      order_id: rayOrder.properties.order_id,
      value: 12.5,
      currency: 'EUR',
    })
  })

  it('decides the same carts, under the same ids, with `spoor carts` and with the documented DuckDB SQL', async () => {
    const live = (await uniqueEvents()).filter((e) => e.event === 'Cart Abandoned' || e.event === 'Cart Recovered')
    const batch = await runSpoor(['carts', dataDir, '--window', cartWindow, '--site', writeKey])
    expect(batch.code).toBe(0)
    const printed = batch.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as EventLine)
    expect(printed.map((e) => e.messageId).sort()).toEqual(live.map((e) => e.messageId).sort())

    const connection = await duck()
    for (const statement of await docBlock('test:duckdb-load')) await connection.run(statement)
    const sql = (await readFile(join(root, 'docs/sql/abandoned-carts.duckdb.sql'), 'utf8')).replace(
      'INTERVAL 60 MINUTE',
      'INTERVAL 15 SECOND',
    )
    const statements = sql.split(/;\s*\n/).filter((s) => s.replace(/--.*$/gm, '').trim())
    for (const statement of statements.slice(0, -1)) await connection.run(statement)
    const carts = await rows(connection, statements.at(-1)!)
    const liveAbandoned = live.filter((e) => e.event === 'Cart Abandoned')
    expect(carts.map((c) => c.messageId).sort()).toEqual(liveAbandoned.map((e) => e.messageId).sort())
    expect(carts.map((c) => c.cart_id).sort()).toEqual([...session.abandoned].sort())
    expect(carts.filter((c) => c.recovered_by_order).map((c) => c.cart_id)).toEqual([session.recovered])
    connection.closeSync()
  })
})

describe('the NDJSON files of the session', () => {
  it('load with the DuckDB recipe of docs/ndjson.md, every event type there and counted', async () => {
    const events = await uniqueEvents()
    const connection = await duck()
    for (const statement of await docBlock('test:duckdb-load')) await connection.run(statement)
    const [byEvent, perDay, orders, email] = await Promise.all(
      (await docBlock('test:duckdb-queries')).map((q) => rows(connection, q)),
    )

    const expected = new Map<string, number>()
    for (const e of events) expected.set(`${e.type}/${e.event}`, (expected.get(`${e.type}/${e.event}`) ?? 0) + 1)
    expect(new Map(byEvent!.map((r) => [`${r.type}/${r.event}`, r.n]))).toEqual(expected)
    const names = new Set(events.map((e) => e.event ?? e.type))
    for (const name of [
      'page',
      'identify',
      'Product Viewed',
      'Product Added',
      'Product Removed',
      'Cart Viewed',
      'Checkout Started',
      'Order Completed',
      'Element Clicked',
      'Page Engaged',
      'Web Vital',
      'NPS Submitted',
      'Survey Responded',
      'Product Reviewed',
      'Signed Up',
      'Subscribed',
      'Email Opened',
      'Email Link Clicked',
      'Cart Abandoned',
      'Cart Recovered',
      'Heatmap',
      'Video Playback Started',
      'Video Playback Paused',
    ])
      expect(names, name).toContain(name)

    const pages = events.filter((e) => e.type === 'page')
    expect(perDay!.reduce((sum, r) => sum + (r.page_views as number), 0)).toBe(pages.length)
    const completed = events.filter((e) => e.event === 'Order Completed')
    expect(orders).toEqual([
      {
        currency: 'EUR',
        orders: completed.length,
        revenue: completed.reduce((s, e) => s + (e.properties.value as number), 0),
        average_order: expect.any(Number),
      },
    ])
    // Ada in her browser and Grace in Gmail; Apple Mail Privacy Protection for Cy. The same as the email code counts.
    expect(email).toEqual([{ campaign: 'spring-sale', opens_by_people: 2, machine_opens: 1 }])
    const [stats] = campaignStats(events)
    expect(stats!.opens).toMatchObject({ people: 2, machines: 1, by: { human: 1, gmail_proxy: 1, apple_mpp: 1 } })
    connection.closeSync()
  })

  it('fit the ClickHouse table and the BigQuery schema, field for field, on every line', async () => {
    const lines = await readEvents(dataDir)
    const clickHouse = clickHouseColumns()
    const bigQuery = bigQuerySchema()
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
    const fits = (value: unknown, type: string): boolean => {
      const nullable = /Nullable\(/.test(type) || type === 'NULLABLE'
      if (value === null) return nullable
      if (/DateTime64|TIMESTAMP/.test(type)) return typeof value === 'string' && iso.test(value)
      if (/String|STRING/.test(type))
        return typeof value === 'string' || (typeof value === 'object' && !Array.isArray(value))
      if (type === 'JSON') return typeof value === 'object' && !Array.isArray(value)
      return false
    }
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(clickHouse.map((c) => c.name))
      for (const column of clickHouse)
        expect(fits(line[column.name as keyof EventLine], column.type), `${column.name} ${column.type}`).toBe(true)
      for (const field of bigQuery) {
        const value = line[field.name as keyof EventLine]
        expect(
          fits(value, field.type) || (value === null && field.mode === 'NULLABLE'),
          `${field.name} ${field.type}`,
        ).toBe(true)
      }
    }
    // Objects go into String columns as JSON text only with this setting, which the recipe passes.
    expect(await readFile(join(root, 'docs/ndjson.md'), 'utf8')).toContain(
      'input_format_json_read_objects_as_strings = 1',
    )
  })
})

describe('the live dashboard', () => {
  it('asks for its token, then shows every section filled, in Chromium', async () => {
    const anonymous = await browser.newContext()
    const refused = await (await anonymous.newPage()).goto(`${collector!.url}/dashboard`)
    expect(refused!.status()).toBe(401)
    await anonymous.close()

    const owner = await browser.newContext({ httpCredentials: { username: 'owner', password: token } })
    const page = await owner.newPage()
    const response = await page.goto(`${collector!.url}/dashboard?site=${writeKey}&heatmap=/`)
    expect(response!.status()).toBe(200)
    // The site's name in the config.
    expect(await page.locator('h1').textContent()).toBe('Example shop')
    expect(await page.locator('[data-section]').count()).toBe(20)
    expect(await page.locator('[data-empty]').count()).toBe(0)
    expect(await page.locator('.heatmap-panel:visible').getAttribute('data-heatmap-path')).toBe('/')
    await owner.close()
  })
})

describe('the report', () => {
  it('renders in Chromium with every section filled, its numbers those of DuckDB, and a screenshot', async () => {
    await stopCollector()
    const out = join(results, 'report.html')
    await mkdir(results, { recursive: true })
    // From the session's first moment on the collector's clock: the report covers every line DuckDB counts below.
    const first = Math.min(
      ...(await readEvents(dataDir)).flatMap((e) => [Date.parse(e.timestamp), Date.parse(e.receivedAt)]),
    )
    const run = await runSpoor([
      'report',
      dataDir,
      '--out',
      out,
      '--site',
      writeKey,
      '--title',
      'Leaf & Kettle',
      '--cart-window',
      cartWindow,
      '--config',
      config,
      '--from',
      new Date(first).toISOString(),
    ])
    const [, filled] = /(\d+) of \1 sections filled/.exec(run.stderr) ?? []
    expect(Number(filled)).toBe(20)
    expect(run.code).toBe(0)

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    await page.goto('file://' + out)
    expect(await page.locator('[data-section]').count()).toBe(Number(filled))
    expect(await page.locator('[data-empty], [data-error]').count()).toBe(0)
    const shown = Object.fromEntries(
      await page.$$eval('[data-metric]', (els) =>
        els.map((el) => [el.getAttribute('data-metric')!, Number(el.getAttribute('data-value'))]),
      ),
    )

    const connection = await duck()
    for (const statement of await docBlock('test:duckdb-load')) await connection.run(statement)
    const one = async (sql: string) => Object.values((await rows(connection, sql))[0]!)[0] as number
    const browserEvents = `FROM events WHERE coalesce(context->>'$.library.name', '') <> 'spoor-collector'`
    expect(shown.visitors).toBe(await one(`SELECT count(DISTINCT anonymousId) FROM events WHERE type = 'page'`))
    expect(shown.pageviews).toBe(await one(`SELECT count(*) FROM events WHERE type = 'page'`))
    expect(shown.sessions).toBe(
      await one(`SELECT count(DISTINCT context->>'$.session.id') FROM events WHERE type = 'page'`),
    )
    expect(shown.orders).toBe(await one(`SELECT count(*) FROM events WHERE event = 'Order Completed'`))
    expect(shown.revenue).toBeCloseTo(
      await one(`SELECT sum(try_cast(properties->>'$.value' AS DOUBLE)) FROM events WHERE event = 'Order Completed'`),
      6,
    )
    expect(shown.aov).toBeCloseTo(
      await one(`SELECT avg(try_cast(properties->>'$.value' AS DOUBLE)) FROM events WHERE event = 'Order Completed'`),
      6,
    )
    expect(shown['page-views:/']).toBe(
      await one(`SELECT count(*) FROM events WHERE type = 'page' AND (properties->>'$.path') = '/'`),
    )
    expect(shown['referrer-sessions:www.google.com']).toBe(1)
    expect(shown['referrer-sessions:www.instagram.com']).toBe(1)
    // Channels: Ben's tagged Instagram link, Grace's search, Ada's click in the spring-sale email.
    expect(shown['channel-sessions:Organic Social']).toBe(1)
    expect(shown['channel-sessions:Organic Search']).toBe(1)
    expect(shown['channel-sessions:Email']).toBe(shown['campaign-sessions:spring-sale'])
    expect(shown['utm-source-sessions:instagram']).toBe(1)
    expect(shown['utm-medium-sessions:social']).toBe(1)
    expect(shown['utm-medium-sessions:email']).toBe(shown['campaign-sessions:spring-sale'])
    expect(shown['campaign-sessions:spring-sale']).toBe(1)
    expect(shown['campaign-orders:spring-sale']).toBe(1)
    expect(shown['campaign-sessions:tea-lovers']).toBe(1)
    expect(shown['campaign-orders:tea-lovers']).toBe(0)
    for (const [step, event] of [
      ['Product Viewed', 'Product Viewed'],
      ['Order Completed', 'Order Completed'],
    ]) {
      expect(shown[`funnel:${step}`]).toBe(
        await one(`SELECT count(DISTINCT anonymousId) ${browserEvents} AND event = '${event}'`),
      )
    }
    // The example config's funnels: every visit that viewed the home page starts the first; only Ada ordered, went
    // to her account and signed up.
    expect(shown['site-funnel:Browse to checkout:1']).toBe(
      await one(
        `SELECT count(DISTINCT context->>'$.session.id') FROM events WHERE type = 'page' AND (properties->>'$.path') = '/'`,
      ),
    )
    expect(shown['site-funnel:Order to account:3']).toBe(1)
    expect(shown['carts-abandoned']).toBe(await one(`SELECT count(*) FROM events WHERE event = 'Cart Abandoned'`))
    expect(shown['carts-abandoned']).toBe(session.abandoned.length)
    expect(shown['carts-recovered']).toBe(1)
    expect(shown['carts-abandoned-value']).toBeCloseTo(
      await one(`SELECT sum(try_cast(properties->>'$.value' AS DOUBLE)) FROM events WHERE event = 'Cart Abandoned'`),
      6,
    )
    const email = (event: string, classes: string) =>
      `SELECT count(*) FROM events WHERE event = '${event}' AND (properties->>'$.campaign_id') = 'spring-sale' AND (properties->>'$.classification') IN (${classes})`
    const people = `'human', 'gmail_proxy'`
    const machines = `'apple_mpp', 'scanner', 'bot'`
    expect([shown['email-human-opens:spring-sale'], shown['email-machine-opens:spring-sale']]).toEqual([2, 1])
    expect(shown['email-human-opens:spring-sale']).toBe(await one(email('Email Opened', people)))
    expect(shown['email-machine-opens:spring-sale']).toBe(await one(email('Email Opened', machines)))
    expect([shown['email-human-clicks:spring-sale'], shown['email-machine-clicks:spring-sale']]).toEqual([1, 1])
    expect(shown['email-human-clicks:spring-sale']).toBe(await one(email('Email Link Clicked', people)))
    expect(shown['email-machine-clicks:spring-sale']).toBe(await one(email('Email Link Clicked', machines)))
    expect(shown['email-orders:spring-sale']).toBe(1)
    expect(shown['email-revenue:spring-sale']).toBe(
      await one(
        `SELECT try_cast(properties->>'$.value' AS DOUBLE) FROM events WHERE messageId = '${session.emailOrder}'`,
      ),
    )
    expect(shown['engaged-avg-ms']).toBeCloseTo(
      await one(
        `SELECT avg(ms) FROM (SELECT sum(try_cast(properties->>'$.engaged_ms' AS DOUBLE)) AS ms FROM events WHERE event = 'Page Engaged' GROUP BY properties->>'$.page_view_id')`,
      ),
      6,
    )
    expect(shown['engaged-ms:/product.html']).toBeCloseTo(
      await one(`SELECT avg(ms) FROM (SELECT sum(try_cast(e.properties->>'$.engaged_ms' AS DOUBLE)) AS ms FROM events e
                 JOIN events p ON p.messageId = (e.properties->>'$.page_view_id')
                 WHERE e.event = 'Page Engaged' AND (p.properties->>'$.path') = '/product.html' GROUP BY p.messageId)`),
      6,
    )
    // Each click on / is both an Element Clicked and a point of that page view's Heatmap: counted once.
    const clicksOnHome = await one(
      `SELECT count(*) FROM events WHERE event = 'Element Clicked' AND (context->>'$.page.path') = '/'`,
    )
    expect(clicksOnHome).toBeGreaterThan(2)
    expect(
      await one(
        `SELECT sum(json_array_length(properties->'$.clicks')) FROM events WHERE event = 'Heatmap' AND (properties->>'$.path') = '/'`,
      ),
    ).toBe(clicksOnHome)
    expect(shown['heatmap-clicks:/']).toBe(clicksOnHome)
    for (const name of ['TTFB', 'FCP', 'LCP', 'CLS', 'INP']) {
      expect(shown[`vital-p75:${name}`]).toBeCloseTo(
        await one(
          `SELECT quantile_cont(v, 0.75) FROM (SELECT arg_max(try_cast(properties->>'$.value' AS DOUBLE), timestamp) AS v FROM events WHERE event = 'Web Vital' AND (properties->>'$.name') = '${name}' GROUP BY properties->>'$.id')`,
        ),
        6,
      )
    }
    expect(shown.nps).toBe(0) // one promoter (9), one detractor (3): (50% − 50%)
    expect(shown['survey:brewing:brew:pot']).toBe(1)
    expect(shown['survey:brewing:brew:bag']).toBe(1)
    // A person is identified by a user id (Ada signed up) or by the email an identify gave (Grace and Ray at
    // checkout, Ben in the checkout's email field before he left): each visitor once.
    expect(shown.identified).toBe(
      await one(
        `SELECT count(DISTINCT anonymousId) ${browserEvents} AND (userId IS NOT NULL OR (traits->>'$.email') IS NOT NULL)`,
      ),
    )
    expect(shown.identified).toBe(4)
    expect(shown['emails-known']).toBe(4) // Ada, Grace and Ray who ordered, Ben who gave his at checkout
    expect(shown['device:phone']).toBe(1)
    // Dora keeps the brewing guide and opens the grower's site; she subscribed with a data-spoor-event button.
    expect(shown[`download:${shopUrl}/brewing-guide.pdf`]).toBe(1)
    expect(shown['outbound:https://tea-growers.example/sencha']).toBe(1)
    expect(shown['goal-visitors:Subscribed']).toBe(
      await one(`SELECT count(DISTINCT anonymousId) FROM events WHERE event = 'Subscribed'`),
    )
    // The example config's page goals: the visitors who reached the page.
    expect(shown['goal-visitors:Visit /checkout.html']).toBe(
      await one(
        `SELECT count(DISTINCT anonymousId) FROM events WHERE type = 'page' AND (properties->>'$.path') = '/checkout.html'`,
      ),
    )
    expect(shown['bounce-rate']).toBeGreaterThanOrEqual(0)
    expect(shown['visit-duration-ms']).toBeGreaterThan(0)
    expect(shown.rating).toBe(5)
    connection.closeSync()

    await page.screenshot({ path: join(results, 'report.png'), fullPage: true })
    await page.context().close()
  })
})

describe('erasure', () => {
  it('leaves no trace of the erased person and every other line byte-identical', async () => {
    await stopCollector()
    const files = async () => {
      const found = new Map<string, string>()
      for (const log of ['events', 'rejected']) {
        for (const name of await readdir(join(dataDir, log), { recursive: true }).catch(() => [] as string[])) {
          if (name.endsWith('.ndjson')) found.set(join(log, name), await readFile(join(dataDir, log, name), 'utf8'))
        }
      }
      return found
    }
    const before = await files()
    const benLine = [...before.values()]
      .flatMap((text) => text.split('\n'))
      .find((l) => l.includes('"ben@example.com"') && l.includes('"identify"'))!
    const ben = JSON.parse(benLine).anonymousId as string

    const run = await runSpoor(['erase', dataDir, '--email', 'ben@example.com'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`anonymous ids: ${ben}`)

    const after = await files()
    const isBens = (line: string) => line.includes(`"${ben}"`) || /ben@example\.com/i.test(line)
    for (const [name, text] of before) {
      const kept = text
        .split(/(?<=\n)/)
        .filter((line) => !isBens(line))
        .join('')
      expect(after.get(name) ?? '', name).toBe(kept)
    }
    const everything = [...after.values()].join('')
    expect(everything).not.toContain(ben)
    expect(everything).not.toMatch(/ben@example\.com/i)
    expect(everything).toContain('ada@example.com')
  })
})
