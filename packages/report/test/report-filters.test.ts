import { readdirSync } from 'node:fs'
import { buildReport, compactDays, type ReportFilters } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'

const now = new Date('2026-03-03T12:00:00.000Z')
const range = { from: new Date('2026-03-01T00:00:00.000Z'), to: now, now }

async function visits() {
  const dataDir = await tempDir()
  await writeDataFile(dataDir, '2026-03-01T10:00:00.000Z', [
    eventLine('m1', '2026-03-01T10:00:00.000Z', { anonymousId: 'ann', path: '/', referrer: 'https://news.example/a' }),
    eventLine('m2', '2026-03-01T10:01:00.000Z', { anonymousId: 'ann', path: '/pricing' }),
    eventLine('m3', '2026-03-01T10:02:00.000Z', { anonymousId: 'ann', event: 'Signed Up' }),
    eventLine('m4', '2026-03-01T10:05:00.000Z', { anonymousId: 'ben', path: '/blog' }),
    eventLine('m5', '2026-03-01T10:06:00.000Z', { anonymousId: 'ben', path: '/pricing' }),
    eventLine('m6', '2026-03-01T10:07:00.000Z', { anonymousId: 'cy', path: '/', referrer: 'https://search.example/' }),
    // A visit with no page view, as a backend's order makes: it came from nowhere, so it is direct.
    eventLine('m7', '2026-03-01T10:08:00.000Z', { anonymousId: 'dee', event: 'Order Completed' }),
  ])
  await compactDays({ dataDir })
  return dataDir
}

/** The context the collector writes from a visitor's address and agent, and the page's screen. */
const device = (country: string, browser: string, os: string, type: string, width: number, place = {}) => ({
  location: { country, ...place },
  browser: { name: browser },
  os: { name: os },
  device: { type },
  screen: { width },
})

/** Page views from four visitors' devices, one of whom (cy) changes country within the visit (a VPN). */
async function devices(compacted: boolean) {
  const dataDir = await tempDir()
  const laptop = device('DE', 'Chrome', 'Windows', 'desktop', 1600, { region: 'Bavaria', city: 'Munich' })
  const iphone = (country: string, place = {}) => device(country, 'Safari', 'iOS', 'mobile', 390, place)
  await writeDataFile(dataDir, '2026-03-01T10:00:00.000Z', [
    eventLine('a1', '2026-03-01T10:00:00.000Z', { anonymousId: 'ann', path: '/', context: laptop }),
    eventLine('a2', '2026-03-01T10:01:00.000Z', { anonymousId: 'ann', path: '/pricing', context: laptop }),
    eventLine('a3', '2026-03-01T10:02:00.000Z', { anonymousId: 'ann', event: 'Signed Up' }),
    eventLine('b1', '2026-03-01T10:03:00.000Z', {
      anonymousId: 'ben',
      path: '/blog',
      context: device('FR', 'Firefox', 'Android', 'mobile', 412),
    }),
    eventLine('c1', '2026-03-01T10:04:00.000Z', {
      anonymousId: 'cy',
      path: '/',
      context: iphone('DE', { region: 'Berlin', city: 'Berlin' }),
    }),
    eventLine('c2', '2026-03-01T10:05:00.000Z', { anonymousId: 'cy', path: '/pricing', context: iphone('US') }),
    // Sent with no device facts at all, as a server-side library's page call.
    eventLine('e1', '2026-03-01T10:06:00.000Z', { anonymousId: 'eve', path: '/about' }),
  ])
  if (compacted) await compactDays({ dataDir })
  return dataDir
}

describe('report filters', () => {
  it('keep only the sessions from a source, with all their events', async () => {
    const dataDir = await visits()
    expect((await buildReport({ dataDir, ...range })).events).toBe(7)
    const fromNews = await buildReport({ dataDir, ...range, filters: { source: 'news.example' } })
    expect(fromNews.events).toBe(3)
    const pages = fromNews.sections.find((s) => s.id === 'top-pages')!.html
    expect(pages).toContain('/pricing')
    expect(pages).not.toContain('/blog')
    expect((await buildReport({ dataDir, ...range, filters: { source: '(direct)' } })).events).toBe(3)
  })

  it('combine: a page the session viewed, and its source', async () => {
    const dataDir = await visits()
    expect((await buildReport({ dataDir, ...range, filters: { page: '/pricing' } })).events).toBe(5)
    expect((await buildReport({ dataDir, ...range, filters: { page: '/pricing', source: '(direct)' } })).events).toBe(2)
    // An empty value is no filter.
    expect((await buildReport({ dataDir, ...range, filters: { page: '' } })).events).toBe(7)
  })

  it('keep the sessions that completed a goal', async () => {
    const dataDir = await visits()
    expect((await buildReport({ dataDir, ...range, filters: { goal: 'Signed Up' } })).events).toBe(3)
    expect((await buildReport({ dataDir, ...range, filters: { goal: 'Order Completed' } })).events).toBe(1)
    expect((await buildReport({ dataDir, ...range, filters: { goal: 'Signed Up', page: '/blog' } })).events).toBe(0)
    expect((await buildReport({ dataDir, ...range, filters: { goal: 'Signed Up', page: '/pricing' } })).events).toBe(3)
    // A page view is no goal, whatever its name.
    expect((await buildReport({ dataDir, ...range, filters: { goal: '/pricing' } })).events).toBe(0)
  })

  it('keep the sessions that started or ended on a page', async () => {
    const dataDir = await visits()
    const events = async (filters: ReportFilters) => (await buildReport({ dataDir, ...range, filters })).events
    expect(await events({ entry: '/' })).toBe(4)
    expect(await events({ exit: '/pricing' })).toBe(5)
    // Viewed, but never first.
    expect(await events({ entry: '/pricing' })).toBe(0)
    // Dee's visit had no page view: it started on none, so not on /.
    expect(await events({ not: { entry: '/' } })).toBe(3)
    expect(await events({ entry: '/', exit: '/' })).toBe(1)
  })

  it('keep the sessions that viewed a page whose path contains a part, as a person types it', async () => {
    const dataDir = await visits()
    const events = async (filters: ReportFilters) => (await buildReport({ dataDir, ...range, filters })).events
    // Ann and Ben viewed /pricing; Ben alone /blog; nobody a path with a pattern's characters.
    expect(await events({ page_contains: 'ric' })).toBe(5)
    // Whatever the case typed, as a person searching expects.
    expect(await events({ page_contains: 'RiC' })).toBe(5)
    expect(await events({ page_contains: '/b' })).toBe(2)
    expect(await events({ page_contains: '%' })).toBe(0)
    expect(await events({ page_contains: '_' })).toBe(0)
    expect(await events({ not: { page_contains: '/b' } })).toBe(5)
  })

  it('keep the sessions whose source, campaign, entry or exit page contains a part', async () => {
    const dataDir = await visits()
    const events = async (filters: ReportFilters) => (await buildReport({ dataDir, ...range, filters })).events
    // Ann came from news.example, Cy from search.example; Ben and Dee are "(direct)".
    expect(await events({ source_contains: 'example' })).toBe(4)
    expect(await events({ source_contains: 'Example' })).toBe(4)
    expect(await events({ not: { source_contains: 'NEWS' } })).toBe(4)
    expect(await events({ source_contains: 'news' })).toBe(3)
    expect(await events({ source_contains: 'dir' })).toBe(3)
    expect(await events({ not: { source_contains: 'news' } })).toBe(4)
    // Ben entered on /blog; Ann and Ben left on /pricing.
    expect(await events({ entry_contains: '/b' })).toBe(2)
    expect(await events({ entry_contains: '/B' })).toBe(2)
    expect(await events({ exit_contains: 'pri' })).toBe(5)
    expect(await events({ not: { entry_contains: '/b' } })).toBe(5)
    // No visit had a campaign: none contains anything, and "is not" keeps them all.
    expect(await events({ campaign_contains: 'a' })).toBe(0)
    expect(await events({ not: { campaign_contains: 'a' } })).toBe(7)
  })

  it('leave out the sessions a filter would keep ("is not"), the visits that lack what it reads included', async () => {
    const dataDir = await visits()
    const events = async (filters: ReportFilters) => (await buildReport({ dataDir, ...range, filters })).events
    expect(await events({ not: { source: 'news.example' } })).toBe(4)
    // Dee's order came with no page view: she viewed no /pricing.
    expect(await events({ not: { page: '/pricing' } })).toBe(2)
    expect(await events({ not: { goal: 'Signed Up' } })).toBe(4)
    // Nobody came through a campaign: nobody is left out for one.
    expect(await events({ not: { campaign: 'spring' } })).toBe(7)
    expect(await events({ not: { channel: 'Direct' } })).toBe(4)
    expect(await events({ source: '(direct)', not: { page: '/blog' } })).toBe(1)
    expect(await events({ not: { source: '(direct)', page: '/' } })).toBe(0)
    expect(await events({ page: '/pricing', not: { page: '/pricing' } })).toBe(0)
  })

  it('that keep most visits read their events through the filter, with the figures a copy gives', async () => {
    const dataDir = await visits()
    const sections = async (filters?: ReportFilters) =>
      (await buildReport({ dataDir, ...range, ...(filters ? { filters } : {}) })).sections.map((s) => [s.id, s.html])
    // Every visit kept (more than half: read through the filter) is the report without one.
    expect(await sections({ not: { campaign: 'none had one' } })).toEqual(await sections())
    // Three visits of four (through the filter) and one of four (copied) add up to the whole, panel by panel.
    const most = await buildReport({ dataDir, ...range, filters: { not: { source: 'search.example' } } })
    const few = await buildReport({ dataDir, ...range, filters: { source: 'search.example' } })
    const views = (report: typeof most) =>
      report.sections.find((s) => s.id === 'top-pages')!.csv!.rows.filter((row) => row[0] === 'top')
    expect(most.events + few.events).toBe(7)
    expect(views(most)).toEqual([
      ['top', '/pricing', 2, 2],
      ['top', '/', 1, 1],
      ['top', '/blog', 1, 1],
    ])
    expect(views(few)).toEqual([['top', '/', 1, 1]])
  })

  it("narrow the previous period's headline as they narrow the period's", async () => {
    const dataDir = await visits()
    // Compared with itself, a filtered period shows no change, as the earlier figures are filtered too (unfiltered,
    // they would count three visitors against one).
    const { html } = await buildReport({
      dataDir,
      ...range,
      filters: { source: 'news.example' },
      compareWith: { from: range.from, to: range.to },
    })
    expect(html).toContain('data-metric="visitors" data-value="1"')
    expect(html).toContain('data-change="visitors" data-value="0"')
    expect(html).toContain('data-change="pageviews" data-value="0"')
  })

  it('hold their copy of the rows until the page is made, and let it go right after', async () => {
    const dataDir = await visits()
    // Each DuckDB of a report spills into a folder of its own under the system's temporary folder, removed when it
    // closes: one of this test's own shows when it is open.
    const temp = await tempDir()
    const systemTemp = process.env.TMPDIR
    process.env.TMPDIR = temp
    // Read at once: an awaited read would let the event loop run on, and the close with it.
    const open = () => readdirSync(temp).filter((name) => name.startsWith('spoor-duckdb-'))
    try {
      const report = await buildReport({ dataDir, ...range, filters: { source: 'news.example' } })
      expect(report.events).toBe(3)
      expect(open()).toHaveLength(1)
      await new Promise((resolve) => setImmediate(resolve))
      expect(open()).toEqual([])
    } finally {
      if (systemTemp === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = systemTemp
    }
  })

  it.each([
    ['compacted days', true],
    ['files not compacted yet', false],
  ])(
    'keep the sessions with a page view of a device label, as the devices panel counts them (%s)',
    async (_, compacted) => {
      const dataDir = await devices(compacted)
      const events = async (filters: ReportFilters) => (await buildReport({ dataDir, ...range, filters })).events
      expect(await events({})).toBe(7)
      // Ann's session keeps her sign-up, which carries no device facts of its own.
      expect(await events({ country: 'DE' })).toBe(5)
      expect(await events({ country: 'FR' })).toBe(1)
      expect(await events({ country: '(not set)' })).toBe(1)
      // A region and a city with their country, as the panel lists them.
      expect(await events({ region: 'Bavaria, DE' })).toBe(3)
      expect(await events({ city: 'Berlin, Berlin, DE' })).toBe(2)
      expect(await events({ region: '(not set)' })).toBe(4)
      expect(await events({ city: 'Berlin' })).toBe(0)
      expect(await events({ browser: 'Safari' })).toBe(2)
      expect(await events({ os: 'Windows' })).toBe(3)
      expect(await events({ device: 'mobile' })).toBe(3)
      expect(await events({ screen: 'Mobile' })).toBe(3)
      expect(await events({ screen: 'Desktop' })).toBe(3)
      expect(await events({ screen: 'Tablet' })).toBe(0)
      // Two filters on page views hold when each holds on one of the session's page views, not on the same one.
      expect(await events({ country: 'US', page: '/' })).toBe(2)
      expect(await events({ country: 'FR', page: '/pricing' })).toBe(0)
      expect(await events({ country: 'DE', browser: 'Chrome', source: '(direct)' })).toBe(3)
      // The panel narrows with the rest: a country's view lists that country alone, but for a visit's other page.
      const germany = await buildReport({ dataDir, ...range, filters: { country: 'DE' } })
      const panel = germany.sections.find((s) => s.id === 'devices')!.csv!.rows
      expect(panel.filter((row) => row[0] === 'countries')).toEqual([
        ['countries', 'DE', 2],
        ['countries', 'US', 1],
      ])
      expect(panel.filter((row) => row[0] === 'cities')).toEqual([
        ['cities', '(not set)', 1],
        ['cities', 'Berlin, Berlin, DE', 1],
        ['cities', 'Munich, Bavaria, DE', 1],
      ])
    },
  )

  it.each([
    ['compacted days', true],
    ['files not compacted yet', false],
  ])(
    'keep the sessions of a channel or a utm medium, term or content, as the sources panel counts them (%s)',
    async (_, compacted) => {
      const dataDir = await tempDir()
      await writeDataFile(dataDir, '2026-03-01T10:00:00.000Z', [
        eventLine('a1', '2026-03-01T10:00:00.000Z', {
          anonymousId: 'ann',
          path: '/',
          referrer: 'https://www.google.com/',
        }),
        eventLine('a2', '2026-03-01T10:01:00.000Z', { anonymousId: 'ann', path: '/pricing' }),
        // A paid link tagged with a source and a medium but no campaign name.
        eventLine('b1', '2026-03-01T10:02:00.000Z', {
          anonymousId: 'ben',
          path: '/',
          context: { campaign: { source: 'google', medium: 'cpc' } },
        }),
        eventLine('c1', '2026-03-01T10:03:00.000Z', { anonymousId: 'cy', path: '/' }),
        eventLine('d1', '2026-03-01T10:04:00.000Z', {
          anonymousId: 'dee',
          path: '/spring',
          context: { campaign: { name: 'spring', source: 'newsletter', medium: 'email', content: 'header' } },
        }),
        eventLine('d2', '2026-03-01T10:05:00.000Z', { anonymousId: 'dee', event: 'Order Completed' }),
        // Ben's second page, from an ad on a keyword; Cy's term a number, beside a campaign named like the tag.
        eventLine('b2', '2026-03-01T10:06:00.000Z', {
          anonymousId: 'ben',
          path: '/pricing',
          context: { campaign: { source: 'google', medium: 'cpc', term: 'running shoes' } },
        }),
        eventLine('c2', '2026-03-01T10:07:00.000Z', {
          anonymousId: 'cy',
          path: '/terms',
          context: { campaign: { name: 'term', term: 42 } },
        }),
      ])
      if (compacted) await compactDays({ dataDir })
      const report = async (filters: ReportFilters) => buildReport({ dataDir, ...range, filters })
      const panel = (await report({})).sections.find((s) => s.id === 'sources')!.csv!.rows
      expect(panel.filter((row) => row[0] === 'channel').map((row) => [row[1], row[4]])).toEqual([
        ['Direct', 1],
        ['Email', 1],
        ['Organic Search', 1],
        ['Paid Search', 1],
      ])
      expect((await report({ channel: 'Organic Search' })).events).toBe(2)
      expect((await report({ channel: 'Paid Search' })).events).toBe(2)
      expect((await report({ channel: 'Email' })).events).toBe(2)
      expect((await report({ channel: 'Direct' })).events).toBe(2)
      expect((await report({ channel: 'Referral' })).events).toBe(0)
      // The tags by themselves: Ben's link named a source and a medium, Dee's a campaign too.
      // Terms and contents as any of the visit's lines carried them (a number as its text).
      expect(panel.filter((row) => String(row[0]).startsWith('utm_')).map((row) => [row[0], row[1], row[4]])).toEqual([
        ['utm_source', 'google', 1],
        ['utm_source', 'newsletter', 1],
        ['utm_medium', 'cpc', 1],
        ['utm_medium', 'email', 1],
        ['utm_term', '42', 1],
        ['utm_term', 'running shoes', 1],
        ['utm_content', 'header', 1],
      ])
      expect((await report({ medium: 'cpc' })).events).toBe(2)
      expect((await report({ not: { medium: 'cpc' } })).events).toBe(6)
      expect((await report({ term: 'running shoes' })).events).toBe(2)
      expect((await report({ term: '42' })).events).toBe(2)
      expect((await report({ content: 'header' })).events).toBe(2)
      expect((await report({ not: { term: 'running shoes' } })).events).toBe(6)
    },
  )

  it('are values, never SQL', async () => {
    const dataDir = await visits()
    const hostile = await buildReport({
      dataDir,
      ...range,
      filters: { source: "x' OR '1'='1", page: "'; DROP TABLE events; --", not: { goal: "' OR 1=1 --" } },
    })
    expect(hostile.events).toBe(0)
    expect(hostile.sections.filter((s) => s.html.includes('data-error'))).toEqual([])
  })
})
