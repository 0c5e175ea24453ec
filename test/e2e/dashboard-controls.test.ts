import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { createApp, parseConfig, presentsToken, type RunningServer, startServer } from '@spoor/collector'
import { createNdjsonSink } from '@spoor/log'
import { dashboard } from '@spoor/report'
import { Hono } from 'hono'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/chromium.js'
import { tempDir } from '../support/helpers.js'

const token = 'dashboard-controls-token-0123456789'
const writeKey = 'controls-key'
const day = 86_400_000

let browser: Browser
let context: BrowserContext
let server: RunningServer
let dataDir: string
// The dashboard's clock: set from the data once it is written, never from the test's own clock.
let now = new Date(0)

/** A page view as a browser tag sends it; `daysAgo` back-dates it through the client's clock, as a late beacon. */
function pageView(
  visitor: string,
  path: string,
  options: { referrer?: string; campaign?: object; daysAgo?: number; country?: string },
) {
  const sentAt = '2026-01-10T12:00:00.000Z'
  const original = new Date(Date.parse(sentAt) - (options.daysAgo ?? 0) * day).toISOString()
  const url = `https://shop.example${path}`
  return {
    type: 'page',
    anonymousId: visitor,
    originalTimestamp: original,
    sentAt,
    properties: { path, url, referrer: options.referrer ?? '' },
    context: {
      page: { path, url, referrer: options.referrer ?? '' },
      ...(options.campaign ? { campaign: options.campaign } : {}),
      // As a server-side library sends it; the collector looks a country up only for events without one.
      ...(options.country ? { location: { country: options.country } } : {}),
    },
  }
}

const news = 'https://news.example/story'
const events = [
  // Today: three visitors from news.example, two direct, one from a newsletter whose campaign name is a formula.
  // Two of them, one from news.example and one direct, from Germany.
  ...['n1', 'n2', 'n3'].flatMap((v, i) => [
    pageView(v, '/', { referrer: news, ...(i === 0 ? { country: 'DE' } : {}) }),
    ...(i < 2 ? [pageView(v, '/pricing', { referrer: news, ...(i === 0 ? { country: 'DE' } : {}) })] : []),
  ]),
  pageView('d1', '/', { country: 'DE' }),
  pageView('d2', '/about', {}),
  pageView('m1', '/', { campaign: { name: '=1+2', source: 'newsletter', medium: 'email' } }),
  // Yesterday, by the event's own time (arrived today): two more visitors from news.example.
  pageView('y1', '/', { referrer: news, daysAgo: 1 }),
  pageView('y2', '/pricing', { referrer: news, daysAgo: 1 }),
]

/** Rows of a query over the raw NDJSON lines (published and still open), without the report's code. */
async function raw<T>(sql: string, params: Record<string, string> = {}): Promise<T[]> {
  const connection = await (await DuckDBInstance.create(':memory:')).connect()
  const lines = `read_ndjson_objects('${join(dataDir, 'events')}/**/*.ndjson*')`
  const reader = await connection.runAndReadAll(sql.replaceAll('$lines', lines), params)
  const rows = reader.getRowObjectsJS() as Record<string, unknown>[]
  connection.closeSync()
  return rows.map(
    (row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])) as T,
  )
}

const figure = (page: Page, name: string) =>
  page.locator(`[data-metric="${name}"]`).first().getAttribute('data-value').then(Number)
const changeOf = (page: Page, name: string) =>
  page.locator(`[data-change="${name}"]`).getAttribute('data-value').then(Number)

/** Parses the CSV the dashboard exports (fields without quotes or line breaks, as these rows are). */
const parseCsv = (text: string) =>
  text
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','))

beforeAll(async () => {
  dataDir = await tempDir('spoor-dashboard-controls-')
  const config = parseConfig({ sites: [{ writeKey, name: 'Controls shop', origins: [] }], dashboard: { token } })
  // Files stay open for the whole test: the dashboard reads the lines being written, as it does within a minute.
  const sink = createNdjsonSink({ dataDir, maxFileAgeMs: 3_600_000 })
  const app = new Hono()
    .route('/', createApp({ config, sink, snippetPath: join(dataDir, 'no-snippet.js') }))
    .route('/', dashboard({ config, dataDir, presentsToken, cacheMs: 0, now: () => now }))
  server = await startServer({ app, sink, port: 0, hostname: '127.0.0.1' })
  const sent = await fetch(`${server.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ writeKey, batch: events }),
  })
  expect(sent.status).toBe(200)
  const [last] = await raw<{ at: string }>(`SELECT max(json->>'receivedAt') AS at FROM $lines`)
  now = new Date(Date.parse(last!.at) + 1000)
  browser = await launchChromium()
  context = await browser.newContext({ httpCredentials: { username: 'owner', password: token } })
})

afterAll(async () => {
  await context?.close()
  await browser?.close()
  await server?.close()
})

describe('the dashboard, driven in a browser', () => {
  it('picks a range, filters by a clicked source or country, keeps it in the URL, compares, counts visitors now, exports CSV', async () => {
    const page = await context.newPage()
    await page.goto(`${server.url}/dashboard`)
    // The default 30 days hold today's six visitors and yesterday's two.
    expect(await figure(page, 'visitors')).toBe(8)
    // Visitors now are counted by arrival: the two back-dated visitors arrived within the last five minutes too.
    const [live] = await raw<{ n: number }>(
      `SELECT count(DISTINCT json->>'anonymousId') AS n FROM $lines
       WHERE (json->>'receivedAt')::TIMESTAMPTZ > $since::TIMESTAMPTZ`,
      { since: new Date(now.getTime() - 5 * 60_000).toISOString() },
    )
    expect(live!.n).toBe(8)
    expect(await figure(page, 'live-visitors')).toBe(live!.n)

    // A custom range: today only, through the GET form.
    const today = now.toISOString().slice(0, 10)
    await page.fill('#range-from', today)
    await page.fill('#range-to', today)
    await page.click('.custom-range button')
    await page.waitForURL(new RegExp(`from=${today}&to=${today}`))
    expect(await figure(page, 'visitors')).toBe(6)
    // Against yesterday, the same length just before: 2 visitors then.
    expect(await changeOf(page, 'visitors')).toBeCloseTo((6 - 2) / 2, 5)

    // Click the source: every panel narrows to the visits it sent.
    await page.locator('#sources a.row-link', { hasText: 'news.example' }).click()
    await page.waitForURL(/source=news\.example/)
    const url = new URL(page.url())
    expect(url.searchParams.get('from')).toBe(today)
    expect(url.searchParams.get('to')).toBe(today)
    const check = async () => {
      expect(await figure(page, 'visitors')).toBe(3)
      expect(await changeOf(page, 'visitors')).toBeCloseTo((3 - 2) / 2, 5)
      expect(await figure(page, 'pageviews')).toBe(5)
      expect(await figure(page, 'page-views:/pricing')).toBe(2)
      expect(await page.locator('[data-metric="page-views:/about"]').count()).toBe(0)
      expect(await page.locator('.filter-chip[data-filter="source"]').textContent()).toContain('news.example')
    }
    await check()
    // A reload (or the link shared) shows the same view.
    await page.reload()
    await check()

    // The pages panel's CSV equals DuckDB's count over the raw lines of those visits.
    const href = await page.locator('#top-pages a.export').getAttribute('href')
    expect(href).toMatch(/^dashboard\.csv\?panel=top-pages&/)
    const answer = await context.request.get(new URL(href!, page.url()).toString())
    expect(answer.status()).toBe(200)
    expect(answer.headers()['content-type']).toMatch(/^text\/csv/)
    const [header, ...rows] = parseCsv(await answer.text())
    expect(header).toEqual(['list', 'path', 'count', 'visitors'])
    const expected = await raw<{ path: string; n: number; visitors: number }>(
      `WITH e AS (
         SELECT json->>'anonymousId' AS visitor, json->>'type' AS type, (json->>'timestamp')::TIMESTAMPTZ AS ts,
                json->'properties' AS p
         FROM $lines),
       today AS (SELECT * FROM e WHERE ts >= $from::TIMESTAMPTZ AND ts < $from::TIMESTAMPTZ + INTERVAL 1 DAY),
       landing AS (SELECT visitor, arg_min(p->>'referrer', ts) AS referrer FROM today WHERE type = 'page' GROUP BY visitor)
       SELECT p->>'path' AS path, count(*) AS n, count(DISTINCT visitor) AS visitors FROM today
       WHERE type = 'page' AND visitor IN (SELECT visitor FROM landing WHERE regexp_extract(referrer, '^[a-z]+://([^/:]+)', 1) = 'news.example')
       GROUP BY path ORDER BY n DESC, path`,
      { from: `${today}T00:00:00Z` },
    )
    expect(expected.length).toBe(2)
    expect(rows.filter((r) => r[0] === 'top')).toEqual(
      expected.map((r) => ['top', r.path, String(r.n), String(r.visitors)]),
    )

    // The headline's CSV carries the previous period beside each figure, unformatted.
    const overview = await context.request.get(
      new URL((await page.locator('#overview a.export').getAttribute('href'))!, page.url()).toString(),
    )
    expect(parseCsv(await overview.text())).toContainEqual(['visitors', '3', '2'])
    // Views per visit, compared too: five page views in three visits, two in two the day before.
    expect(parseCsv(await overview.text())).toContainEqual(['views-per-visit', String(5 / 3), '1'])

    // The chip's link removes the filter and keeps the range.
    await page.locator('.filter-chip[data-filter="source"] a[title="Remove"]').click()
    await page.waitForURL((u) => !u.searchParams.has('source') && u.searchParams.get('from') === today)
    expect(await figure(page, 'visitors')).toBe(6)

    // A country's row filters the same way: the sessions with a page view from there.
    await page.locator('#devices a.row-link', { hasText: 'Germany (DE)' }).click()
    await page.waitForURL((u) => u.searchParams.get('country') === 'DE' && u.searchParams.get('from') === today)
    const [germany] = await raw<{ visitors: number; pricing: number }>(
      `WITH today AS (
         SELECT json->>'anonymousId' AS visitor, json->'properties'->>'path' AS path,
                json->'context'->'location'->>'country' AS country
         FROM $lines
         WHERE json->>'type' = 'page' AND (json->>'timestamp')::TIMESTAMPTZ >= $from::TIMESTAMPTZ
           AND (json->>'timestamp')::TIMESTAMPTZ < $from::TIMESTAMPTZ + INTERVAL 1 DAY)
       SELECT count(DISTINCT visitor) AS visitors, count(*) FILTER (path = '/pricing') AS pricing FROM today
       WHERE visitor IN (SELECT visitor FROM today WHERE country = 'DE')`,
      { from: `${today}T00:00:00Z` },
    )
    expect(germany).toEqual({ visitors: 2, pricing: 1 })
    expect(await figure(page, 'visitors')).toBe(germany!.visitors)
    expect(await figure(page, 'page-views:/pricing')).toBe(germany!.pricing)
    expect(await page.locator('[data-metric="page-views:/about"]').count()).toBe(0)
    expect(await page.locator('.filter-chip[data-filter="country"]').textContent()).toContain('DE')
    // Turned around, the chip leaves them out: every visitor of the day but those two.
    await page.locator('.filter-chip[data-filter="country"] a.turn').click()
    await page.waitForURL((u) => !u.searchParams.has('country') && u.searchParams.get('not_country') === 'DE')
    expect(await figure(page, 'visitors')).toBe(6 - germany!.visitors)
    expect(await page.locator('.filter-chip[data-filter="not_country"]').textContent()).toContain('country is not: DE')
    await page.locator('.filter-chip[data-filter="not_country"] a[title="Remove"]').click()
    await page.waitForURL((u) => !u.searchParams.has('not_country') && u.searchParams.get('from') === today)

    // A part of a path, typed into the toolbar: the visits that viewed a page containing it.
    await page.fill('#contains-text', 'pric')
    await page.click('.contains-search button')
    await page.waitForURL((u) => u.searchParams.get('page_contains') === 'pric' && u.searchParams.get('from') === today)
    const [pricing] = await raw<{ visitors: number }>(
      `SELECT count(DISTINCT json->>'anonymousId') AS visitors FROM $lines
       WHERE json->>'type' = 'page' AND contains(json->'properties'->>'path', 'pric')
         AND (json->>'timestamp')::TIMESTAMPTZ >= $from::TIMESTAMPTZ
         AND (json->>'timestamp')::TIMESTAMPTZ < $from::TIMESTAMPTZ + INTERVAL 1 DAY`,
      { from: `${today}T00:00:00Z` },
    )
    expect(pricing!.visitors).toBe(2)
    expect(await figure(page, 'visitors')).toBe(pricing!.visitors)
    await page.locator('.filter-chip[data-filter="page_contains"] a[title="Remove"]').click()
    await page.waitForURL((u) => !u.searchParams.has('page_contains') && u.searchParams.get('from') === today)

    // Sources containing a part: today's three visitors from news.example, and the newsletter's reader, whose utm
    // source contains it too (yesterday's two are out of the range).
    await page.selectOption('#contains-in', 'source')
    await page.fill('#contains-text', 'news')
    await page.click('.contains-search button')
    await page.waitForURL(
      (u) => u.searchParams.get('source_contains') === 'news' && u.searchParams.get('from') === today,
    )
    expect(await figure(page, 'visitors')).toBe(4)
    expect(await page.locator('.filter-chip[data-filter="source_contains"]').textContent()).toContain(
      'source contains: news',
    )
    await page.locator('.filter-chip[data-filter="source_contains"] a[title="Remove"]').click()
    await page.waitForURL((u) => !u.searchParams.has('source_contains') && u.searchParams.get('from') === today)

    // A campaign named like a formula is exported as text a spreadsheet will not run.
    const sources = await context.request.get(
      new URL((await page.locator('#sources a.export').getAttribute('href'))!, page.url()).toString(),
    )
    expect(await sources.text()).toContain("campaign,'=1+2,newsletter,email,1,0,0,")
  })
})
