import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createApp, parseConfig, presentsToken } from '@spoor/collector'
import { createNdjsonSink } from '@spoor/log'
import { buildReport, dashboard } from '@spoor/report'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'
import { liveVisitors } from '../src/live-visitors.js'

const token = 'a-dashboard-token-of-24-chars+'
const config = parseConfig({ sites: [{ writeKey: 'shop-key', origins: [] }], dashboard: { token } })
const auth = { authorization: 'Bearer ' + token }

/** Writes page views through the collector; the sink is left open unless `publish`, as a running collector's is. */
async function written(batch: object[], publish = true) {
  const dataDir = await tempDir()
  const sink = createNdjsonSink({ dataDir, maxFileAgeMs: 3_600_000 })
  const app = createApp({ config, sink, snippetPath: '/nonexistent' })
  const response = await app.request('/v1/batch', {
    method: 'POST',
    body: JSON.stringify({ writeKey: 'shop-key', batch }),
  })
  expect(response.status).toBe(200)
  if (publish) await sink.close()
  const names = await readdir(join(dataDir, 'events'), { recursive: true })
  const file = names.find((name) => /\.ndjson(\.open)?$/.test(name))!
  const lines = (await readFile(join(dataDir, 'events', file), 'utf8')).trim().split('\n')
  const arrivals = lines.map((line) => Date.parse(JSON.parse(line).receivedAt as string))
  return { dataDir, sink, file, arrival: new Date(Math.max(...arrivals)) }
}

const page = (anonymousId: string, path: string, referrer = '') => ({
  type: 'page',
  anonymousId,
  properties: { path, url: `https://shop.example${path}`, referrer },
})

describe('visitors now', () => {
  it('counts distinct visitors received in the last five minutes, from a file still being written', async () => {
    const { dataDir, sink, file, arrival } = await written(
      [page('a', '/'), page('a', '/b'), page('b', '/'), { ...page('c', '/'), writeKey: 'shop-key' }],
      false,
    )
    expect(file).toMatch(/\.open$/)
    const at = (ms: number) => liveVisitors({ dataDir, now: new Date(arrival.getTime() + ms) })
    expect(await at(1000)).toBe(3)
    expect(await at(4 * 60_000)).toBe(3)
    // Past five minutes after the last arrival, nobody is here.
    expect(await at(5 * 60_000 + 1)).toBe(0)
    // An event received after "now" is not counted yet.
    expect(await at(-60_000)).toBe(0)
    await sink.close()
  })
})

describe('dashboard controls', () => {
  it('keeps rows as text in a file report, and links them on the dashboard', async () => {
    const { dataDir, arrival } = await written([
      page('a', '/', 'https://news.example/x'),
      page('b', '/about'),
      { ...page('c', '/about'), context: { campaign: { name: 'spring sale', source: 'newsletter' } } },
    ])
    const range = { from: new Date(arrival.getTime() - 3_600_000), to: new Date(arrival.getTime() + 3_600_000) }
    const file = await buildReport({ dataDir, ...range, now: arrival })
    expect(file.html).not.toContain('<a class="row-link"')
    expect(file.html).not.toContain('dashboard.csv')
    expect(file.html).not.toContain('<form')

    const app = new Hono().route('/', dashboard({ config, dataDir, presentsToken, now: () => arrival }))
    const response = await app.request('/dashboard?period=today&page=/about', { headers: auth })
    expect(response.headers.get('content-security-policy')).toContain("form-action 'self'")
    const html = await response.text()
    // A row's link adds its filter to the view and keeps the rest.
    expect(html).toContain('href="dashboard?period=today&amp;source=%28direct%29&amp;page=%2Fabout"')
    // The chip's link removes only its own filter.
    expect(html).toMatch(
      /data-filter="page">page: <b>\/about<\/b><a class="turn" href="dashboard\?period=today&amp;not_page=%2Fabout"[^>]*>is not<\/a><a href="dashboard\?period=today"/,
    )
    expect(html).toContain('href="dashboard?period=today&amp;campaign=spring+sale&amp;page=%2Fabout">spring sale</a>')
    expect(html).toContain('href="dashboard?period=today&amp;channel=Direct&amp;page=%2Fabout">Direct</a>')
    // An entry page's row keeps the visits that started there, not all that viewed it.
    expect(html).toContain('href="dashboard?period=today&amp;page=%2Fabout&amp;entry=%2Fabout">/about</a>')
    expect(html).toContain('href="dashboard.csv?panel=top-pages&amp;period=today&amp;page=%2Fabout"')
    expect(html).toContain('<a class="range" href="dashboard?period=today&amp;page=%2Fabout" aria-current="page">')
  }, 30_000)

  it("links the devices panel's rows as filters, shows them as chips and keeps them through a custom range", async () => {
    const { dataDir, arrival } = await written([
      {
        ...page('a', '/'),
        context: { location: { country: 'DE' }, screen: { width: 390 }, browser: { name: 'Firefox', version: '128' } },
      },
      { ...page('b', '/about'), context: { location: { country: 'FR' }, screen: { width: 1600 } } },
    ])
    const app = new Hono().route('/', dashboard({ config, dataDir, presentsToken, now: () => arrival }))
    const html = await (await app.request('/dashboard?period=today', { headers: auth })).text()
    // Each row adds its dimension's filter, a country by its code.
    expect(html).toContain('href="dashboard?period=today&amp;country=DE">Germany (DE)</a>')
    // So does the country's shape on the map, named with its visitors.
    expect(html).toMatch(
      /<a href="dashboard\?period=today&amp;country=DE" tabindex="-1"><path class="s5" d="M[^"]+"><title>Germany \(DE\): 1 visitor<\/title>/,
    )
    expect(html).toContain('href="dashboard?period=today&amp;screen=Mobile">Mobile</a>')
    const filtered = await (
      await app.request('/dashboard?period=today&country=DE&screen=Mobile', { headers: auth })
    ).text()
    expect(filtered).toContain('data-metric="visitors" data-value="1"')
    expect(filtered).toMatch(
      /data-filter="country">country: <b>DE<\/b><a class="turn"[^>]*>is not<\/a><a href="dashboard\?period=today&amp;screen=Mobile"/,
    )
    // "Is not": the other visitor, and a chip that turns it back.
    const notGermany = await (await app.request('/dashboard?period=today&not_country=DE', { headers: auth })).text()
    expect(notGermany).toContain('data-metric="visitors" data-value="1"')
    expect(notGermany).toContain('France')
    // A part of a page's path (or a source's...), typed into the toolbar's form, which keeps the view's other
    // parameters: its answer is the view's link with the filter the form chose.
    expect(filtered).toContain(
      '<form method="get" action="dashboard" class="contains-search"><input type="hidden" name="period" value="today"><input type="hidden" name="country" value="DE"><input type="hidden" name="screen" value="Mobile">',
    )
    const typed = await app.request('/dashboard?period=today&country=DE&contains=page&text=bou', { headers: auth })
    expect(typed.status).toBe(303)
    expect(typed.headers.get('location')).toBe('dashboard?period=today&page_contains=bou&country=DE')
    // Typed or pasted with spaces around it, the same filter; only spaces, none.
    const spaced = await app.request('/dashboard?period=today&contains=page&text=%20bou%09%20', { headers: auth })
    expect(spaced.headers.get('location')).toBe('dashboard?period=today&page_contains=bou')
    const blank = await app.request('/dashboard?period=today&contains=page&text=%20%20', { headers: auth })
    expect(blank.headers.get('location')).toBe('dashboard?period=today')
    const about = await (await app.request('/dashboard?period=today&page_contains=bou', { headers: auth })).text()
    expect(about).toContain('data-metric="visitors" data-value="1"')
    expect(about).toMatch(/data-filter="page_contains">page contains: <b>bou<\/b>/)
    const wrong = await app.request('/dashboard?period=today&contains=country&text=D', { headers: auth })
    expect(wrong.status).toBe(400)
    expect((await wrong.json()).error).toBe('contains "country" is not one of page, entry, exit, source, campaign')
    expect(notGermany).toMatch(
      /data-filter="not_country">country is not: <b>DE<\/b><a class="turn" href="dashboard\?period=today&amp;country=DE"/,
    )
    expect(filtered).toContain(
      '<input type="hidden" name="country" value="DE"><input type="hidden" name="screen" value="Mobile">',
    )
    expect(filtered).not.toContain('France')
    // Filtered to a browser, its list shows the versions, each a filter of its own.
    const firefox = await (await app.request('/dashboard?period=today&browser=Firefox', { headers: auth })).text()
    expect(firefox).toContain('data-metric="browser:Firefox 128" data-value="1"')
    expect(firefox).toContain('href="dashboard?period=today&amp;browser=Firefox&amp;browser_version=Firefox+128"')
    const version = (query: string) => app.request(`/dashboard?period=today&${query}`, { headers: auth })
    const firefox128 = await (await version('browser_version=Firefox+128')).text()
    expect(firefox128).toContain('data-metric="visitors" data-value="1"')
    expect(firefox128).toContain('data-filter="browser_version">browser version: <b>Firefox 128</b>')
    // The other visitor's page view names no browser: its version is "(not set)".
    expect(await (await version('not_browser_version=Firefox+128')).text()).toContain(
      'data-metric="visitors" data-value="1"',
    )
    expect(await (await version('browser_version=Firefox+127')).text()).toContain('UTC · 0 events')
  }, 30_000)

  it("links the goals panel's rows as filters", async () => {
    const { dataDir, arrival } = await written([
      page('a', '/'),
      { type: 'track', anonymousId: 'a', event: 'Newsletter Joined', properties: {} },
      page('b', '/about'),
    ])
    const app = new Hono().route('/', dashboard({ config, dataDir, presentsToken, now: () => arrival }))
    const html = await (await app.request('/dashboard?period=today', { headers: auth })).text()
    expect(html).toContain('href="dashboard?period=today&amp;goal=Newsletter+Joined">Newsletter Joined</a>')
    const joined = await (await app.request('/dashboard?period=today&goal=Newsletter+Joined', { headers: auth })).text()
    expect(joined).toContain('data-metric="visitors" data-value="1"')
    expect(joined).toContain('data-filter="goal">goal: <b>Newsletter Joined</b>')
  }, 30_000)

  it('exports a panel as CSV behind the same token, and names the panels it has', async () => {
    const { dataDir, arrival } = await written([page('a', '/'), page('b', '/about')])
    const app = new Hono().route('/', dashboard({ config, dataDir, presentsToken, now: () => arrival }))
    expect((await app.request('/dashboard.csv?panel=top-pages')).status).toBe(401)
    const csv = await app.request('/dashboard.csv?panel=top-pages&period=today', { headers: auth })
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present')
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="spoor-top-pages-\d{4}-\d{2}-\d{2}-/)
    expect(await csv.text()).toContain('list,path,count,visitors\r\ntop,/,1,1\r\ntop,/about,1,1\r\n')
    const unknown = await app.request('/dashboard.csv?panel=nope', { headers: auth })
    expect(unknown.status).toBe(400)
    expect((await unknown.json()).error).toBe(
      'panel "nope" has no rows to export: ask for one of overview, traffic, top-pages, flows, sources, outbound-links, devices, goals, site-funnel, funnel, carts, orders, engagement, downloads, vitals, nps, surveys, people',
    )
    // The same rows as JSON, each keyed by the CSV's header, with the view it answers for.
    expect((await app.request('/dashboard.json?panel=top-pages')).status).toBe(401)
    const json = await app.request('/dashboard.json?panel=top-pages&period=today&not_page=/nope', { headers: auth })
    expect(json.status).toBe(200)
    expect(json.headers.get('content-type')).toMatch(/^application\/json/)
    const body = await json.json()
    // With the page's "now" count: both visitors arrived just now, as the dashboard's clock has it.
    expect(body).toMatchObject({ site: null, filters: { not_page: '/nope' }, visitorsNow: 2 })
    expect(Object.keys(body.panels)).toEqual(['top-pages'])
    expect(body.panels['top-pages'].filter((row: { list: string }) => row.list === 'top')).toEqual([
      { list: 'top', path: '/', count: 1, visitors: 1 },
      { list: 'top', path: '/about', count: 1, visitors: 1 },
    ])
    expect(Date.parse(body.to) - Date.parse(body.from)).toBeGreaterThan(0)
    // Without a panel, every panel with rows; the headline among them.
    const all = await (await app.request('/dashboard.json?period=today', { headers: auth })).json()
    expect(all.panels.overview).toContainEqual({ metric: 'visitors', value: 2, previous: 0 })
    expect((await app.request('/dashboard.json?panel=nope', { headers: auth })).status).toBe(400)
    const period = await app.request('/dashboard?period=decade', { headers: auth })
    expect(period.status).toBe(400)
    expect((await period.json()).error).toBe(
      'period "decade" is not one of realtime, today, yesterday, 7d, 30d, month, lastmonth, year, 12mo, all',
    )
    const compare = await app.request('/dashboard?compare=lastweek', { headers: auth })
    expect(compare.status).toBe(400)
    expect((await compare.json()).error).toBe('compare "lastweek" is not one of previous, year, none')
    const interval = await app.request('/dashboard?interval=fortnight', { headers: auth })
    expect(interval.status).toBe(400)
    expect((await interval.json()).error).toBe('interval "fortnight" is not one of minute, hour, day, week, month')
    const property = await app.request('/dashboard?property=pro', { headers: auth })
    expect(property.status).toBe(400)
    expect((await property.json()).error).toBe('property "pro" names no value: write KEY=VALUE, as plan=pro')
  }, 30_000)

  it('compares with the same dates a year before, or with nothing, and shows all time from the first day of data', async () => {
    const dataDir = await tempDir()
    const now = new Date('2026-03-18T12:00:00.000Z')
    const view = (visitor: string, at: string) => eventLine(visitor, at, { anonymousId: visitor })
    // Three visitors this week, two in the same week a year before, one in the week just before this one.
    await writeDataFile(dataDir, '2025-03-16T10:00:00.000Z', [
      view('y1', '2025-03-16T10:00:00.000Z'),
      view('y2', '2025-03-16T10:01:00.000Z'),
    ])
    await writeDataFile(dataDir, '2026-03-08T10:00:00.000Z', [view('w1', '2026-03-08T10:00:00.000Z')])
    await writeDataFile(dataDir, '2026-03-16T10:00:00.000Z', [
      view('a', '2026-03-16T10:00:00.000Z'),
      view('b', '2026-03-16T10:01:00.000Z'),
      view('c', '2026-03-16T10:02:00.000Z'),
    ])
    const app = new Hono().route('/', dashboard({ config, dataDir, presentsToken, now: () => now }))
    const page = async (query: string) => (await app.request(`/dashboard?${query}`, { headers: auth })).text()
    const change = (html: string) => /data-change="visitors" data-value="([^"]*)"/.exec(html)?.[1]
    // Against the week before: 3 visitors after 1 (+200%); against the year before: 3 after 2 (+50%).
    const week = await page('period=7d')
    expect(change(week)).toBe('2')
    // A week's bars are 6 hours, which no interval link offers: the chart says so ahead of its links.
    expect(week).toMatch(
      /<nav class="choices" aria-label="Interval"><span class="row-label">Each bar: 6 hours<\/span><a class="range"/,
    )
    expect(await page('period=7d&interval=day')).toMatch(
      /<nav class="choices" aria-label="Interval"><a class="range" href="[^"]*">Hours<\/a><a class="range" href="[^"]*" aria-current="page">Days<\/a>/,
    )
    // Good news is told in words as well as green: more visitors is better, and so is a lower bounce rate.
    expect(week).toMatch(/<span class="change up" data-change="visitors" data-value="2">↑200% vs before, better</)
    expect(week).toMatch(/data-change="bounce-rate" data-value="0">0% vs before</)
    // Each view is titled by its period and filters, so that two tabs or two history entries are told apart.
    expect(week).toContain('<title>shop-key · Last 7 days · spoor report</title>')
    expect(await page('from=2026-03-16&to=2026-03-17&source=Google&not_page=%2Fa')).toContain(
      '<title>shop-key · 2026-03-16 → 2026-03-17 · source: Google · page is not: /a · spoor report</title>',
    )
    const yearBefore = await page('period=7d&compare=year')
    expect(change(yearBefore)).toBe('0.5')
    expect(yearBefore).toContain('class="line-compared"')
    expect(yearBefore).toContain('visitors, compared period')
    expect(yearBefore).toContain('<a class="range" href="dashboard?period=7d&amp;compare=year" aria-current="page">')
    const uncompared = await page('period=7d&compare=none')
    expect(change(uncompared)).toBeUndefined()
    expect(uncompared).not.toContain('class="line-compared"')
    // The chart pairs each bucket with the compared period's at the same position: 6-hour buckets over the week, the
    // visits of 16 March 10:00 in the 18th (4 days and 10 hours in), and the year before's on the same day.
    const chart = async (query: string) => {
      const response = await app.request(`/dashboard.csv?panel=traffic&${query}`, { headers: auth })
      const [header, ...rows] = (await response.text()).trim().split('\r\n')
      return { header, filled: rows.filter((row) => !row.endsWith(',0,0,0')) }
    }
    expect(await chart('period=7d&compare=year')).toEqual({
      header: 'interval_start,pageviews,visitors,compared_visitors',
      filled: ['2026-03-16T06:00:00.000Z,3,3,2'],
    })
    // Against the week before, its visitor of 8 March 10:00 was 2 days and 22 hours into it: the 12th bucket.
    expect((await chart('period=7d')).filled).toEqual([
      '2026-03-14T18:00:00.000Z,0,0,1',
      '2026-03-16T06:00:00.000Z,3,3,0',
    ])
    expect((await chart('period=7d&compare=none')).header).toBe('interval_start,pageviews,visitors')
    // Compared with a period without page views, the chart spans this period's data, with no line to compare.
    const empty = await chart('from=2026-03-16&to=2026-03-16')
    expect(empty.header).toBe('interval_start,pageviews,visitors')
    expect(empty.filled[0]).toMatch(/^2026-03-16T10:00:00/)
    // A range of centuries, compared: past 1,500 buckets the chart spans the data, with no line, not 24,000 months.
    const ages = await chart('from=0001-01-01&to=2026-03-17&compare=year')
    expect(ages.header).toBe('interval_start,pageviews,visitors')
    expect(ages.filled.length).toBeLessThan(50)
    const all = await page('period=all')
    expect(all).toContain('data-metric="visitors" data-value="6"')
    expect(all).toContain('2025-03-16 00:00 →')
    expect(change(all)).toBeUndefined()
    expect(all).not.toContain('aria-label="Compared with"')
    expect(await page('period=year')).toContain('data-metric="visitors" data-value="4"')
    expect(all).not.toContain('http-equiv="refresh"')
    expect(await page('period=12mo')).toContain('data-metric="visitors" data-value="4"')
  }, 30_000)

  it('opens on the range its "Last 30 days" link shows, which the toolbar marks as the one shown', async () => {
    const dataDir = await tempDir()
    const now = new Date('2026-03-18T15:30:00.000Z')
    const view = (visitor: string, at: string) => eventLine(visitor, at, { anonymousId: visitor })
    // 29 days and 20 hours ago: within 30 × 24 hours of now, but the day before the 30 days counting today.
    await writeDataFile(dataDir, '2026-02-16T19:30:00.000Z', [view('early', '2026-02-16T19:30:00.000Z')])
    await writeDataFile(dataDir, '2026-03-18T10:00:00.000Z', [view('today', '2026-03-18T10:00:00.000Z')])
    const app = new Hono().route('/', dashboard({ config, dataDir, presentsToken, now: () => now }))
    const page = async (query: string) => (await app.request(`/dashboard${query}`, { headers: auth })).text()
    const opened = await page('')
    expect(opened).toContain('<a class="range" href="dashboard?period=30d" aria-current="page">Last 30 days</a>')
    const clicked = await page('?period=30d')
    for (const html of [opened, clicked]) {
      expect(html).toContain('data-metric="visitors" data-value="1"')
      expect(html).toContain('2026-02-17 00:00 →')
      expect(html).toContain('id="range-from" name="from" value="2026-02-17"')
    }
  }, 30_000)

  it('draws the real-time view by minutes over its 30 minutes, whatever longer interval the link kept from the view before', async () => {
    const dataDir = await tempDir()
    const now = new Date('2026-03-18T10:25:00.000Z')
    const view = (visitor: string, at: string) => eventLine(visitor, at, { anonymousId: visitor })
    await writeDataFile(dataDir, '2026-03-18T10:00:00.000Z', [
      view('a', '2026-03-18T10:00:00.000Z'),
      view('b', '2026-03-18T10:20:00.000Z'),
    ])
    const app = new Hono().route('/', dashboard({ config, dataDir, presentsToken, now: () => now }))
    // "Days", chosen over the last 7 days, stays in the links; over 20 minutes of data it would be one bar.
    const csv = await app.request('/dashboard.csv?panel=traffic&period=realtime&interval=day', { headers: auth })
    const rows = (await csv.text()).trim().split('\r\n').slice(1)
    // The whole 30 minutes to now, not only those since the first page view: quiet minutes at either end are 0.
    expect(rows).toHaveLength(31)
    expect(rows[0]).toBe('2026-03-18T09:55:00.000Z,0,0')
    expect(rows[5]).toBe('2026-03-18T10:00:00.000Z,1,1')
    expect(rows[25]).toBe('2026-03-18T10:20:00.000Z,1,1')
    expect(rows.at(-1)).toBe('2026-03-18T10:25:00.000Z,0,0')
  }, 30_000)

  it('shows the last 30 minutes in real time: reloading itself, compared with nothing', async () => {
    const { dataDir, arrival } = await written([page('a', '/'), page('b', '/about')])
    const app = new Hono().route('/', dashboard({ config, dataDir, presentsToken, now: () => arrival }))
    const html = await (await app.request('/dashboard?period=realtime', { headers: auth })).text()
    expect(html).toContain('<meta http-equiv="refresh" content="30">')
    expect(html).toContain('data-metric="visitors" data-value="2"')
    expect(html).toContain('href="dashboard?period=realtime" aria-current="page">Realtime</a>')
    expect(html).not.toContain('data-change=')
    expect(html).not.toContain('aria-label="Compared with"')
    const later = new Hono().route(
      '/',
      dashboard({ config, dataDir, presentsToken, now: () => new Date(arrival.getTime() + 31 * 60_000) }),
    )
    // Half an hour on, nobody is left in the view.
    expect(await (await later.request('/dashboard?period=realtime', { headers: auth })).text()).toContain(
      'UTC · 0 events',
    )
  }, 30_000)
})
