import { cp, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildReport, compactDays } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'
import { openDb } from '../src/duckdb.js'
import type { ReportFilters } from '../src/filters.js'

const now = new Date('2026-03-03T12:00:00.000Z')

/** A line of `eventLine`'s, changed: its session, site, arrival or campaign. */
function line(
  id: string,
  at: string,
  fields: Parameters<typeof eventLine>[2] & {
    session?: string
    writeKey?: string
    receivedAt?: string
    campaign?: object
    /** Country, browser and screen width, as the collector and the tag write them. */
    device?: [string, string, number]
  },
) {
  const parsed = JSON.parse(eventLine(id, at, fields))
  if (fields.session) parsed.context.session.id = fields.session
  if (fields.writeKey) parsed.writeKey = fields.writeKey
  if (fields.receivedAt) parsed.receivedAt = fields.receivedAt
  if (fields.campaign) parsed.context.campaign = fields.campaign
  if (fields.device) {
    const [country, browser, width] = fields.device
    Object.assign(parsed.context, { location: { country }, browser: { name: browser }, screen: { width } })
  }
  return JSON.stringify(parsed)
}

const phoneInFrance: [string, string, number] = ['FR', 'Safari', 390]
const laptopInGermany: [string, string, number] = ['DE', 'Firefox', 1280]

/** The days compacted: visits within a day, across midnight, at a range's edges, of two sites, with a late beacon. */
async function compactedDays(dataDir: string) {
  await writeDataFile(dataDir, '2026-03-01T10:00:00.000Z', [
    line('a1', '2026-03-01T10:00:00.000Z', {
      anonymousId: 'ann',
      path: '/',
      referrer: 'https://news.example/a',
      device: phoneInFrance,
    }),
    line('a2', '2026-03-01T10:01:00.000Z', { anonymousId: 'ann', path: '/pricing', device: phoneInFrance }),
    line('a3', '2026-03-01T10:02:00.000Z', { anonymousId: 'ann', path: '/pricing' }),
    // Ann signs in, then out: the tag's new anonymous id names another person in the same browser session.
    line('a4', '2026-03-01T10:02:30.000Z', { anonymousId: 'ann', userId: 'ann-user', event: 'Signed In' }),
    line('a5', '2026-03-01T10:03:00.000Z', {
      anonymousId: 'ann-2',
      session: 'session-ann',
      traits: { email: 'New@Example.com' },
    }),
    line('b1', '2026-03-01T10:20:00.000Z', { anonymousId: 'ben', path: '/blog', device: laptopInGermany }),
    line('b2', '2026-03-01T10:40:00.000Z', { anonymousId: 'ben', path: '/pricing', device: laptopInGermany }),
  ])
  await writeDataFile(dataDir, '2026-03-01T23:00:00.000Z', [
    line('c1', '2026-03-01T23:50:00.000Z', {
      anonymousId: 'cy',
      path: '/a',
      referrer: 'https://search.example/',
      device: laptopInGermany,
    }),
    line('d1', '2026-03-01T23:58:00.000Z', { anonymousId: 'dee', path: '/x' }),
  ])
  await writeDataFile(dataDir, '2026-03-02T00:00:00.000Z', [
    // Cy goes on after midnight on a phone, in the same visit: his flow is /a, then /b (/a again is one step with
    // the /a before it), and his page views have two devices' labels, one in each day's summary.
    line('c3', '2026-03-02T00:05:00.000Z', { anonymousId: 'cy', path: '/a', device: phoneInFrance }),
    line('c2', '2026-03-02T00:10:00.000Z', { anonymousId: 'cy', path: '/b', device: phoneInFrance }),
    line('c4', '2026-03-02T00:01:00.000Z', {
      anonymousId: 'cy',
      userId: 'cy-user',
      traits: { email: 'cy@example.com' },
    }),
    // Sent at 23:59, arrived after midnight: in the next day's file, and it saves dee's visit from bouncing.
    line('d2', '2026-03-01T23:59:00.000Z', {
      anonymousId: 'dee',
      event: 'Signed Up',
      receivedAt: '2026-03-02T00:01:00.000Z',
    }),
    line('i1', '2026-03-02T00:02:00.000Z', { anonymousId: 'ivy', path: '/i' }),
    line('i2', '2026-03-02T00:08:00.000Z', { anonymousId: 'ivy', path: '/j' }),
    line('i3', '2026-03-02T00:09:00.000Z', { anonymousId: 'ivy', traits: { email: 'IVY@example.com' } }),
  ])
  await writeDataFile(dataDir, '2026-03-02T09:00:00.000Z', [
    line('e1', '2026-03-02T09:00:00.000Z', { anonymousId: 'eve', path: '/e', writeKey: 'blog' }),
    line('e2', '2026-03-02T09:03:00.000Z', { anonymousId: 'eve', path: '/f', writeKey: 'blog' }),
  ])
  await writeDataFile(dataDir, '2026-03-02T12:00:00.000Z', [
    line('f1', '2026-03-02T12:00:00.000Z', {
      anonymousId: 'fay',
      path: '/c',
      campaign: { source: 'newsletter', name: 'spring', medium: 'email' },
    }),
  ])
}

/** What arrives after the compaction: a visit going on from a compacted day, a new one, and the file still open. */
async function laterFiles(dataDir: string) {
  await writeDataFile(dataDir, '2026-03-02T13:00:00.000Z', [
    line('f2', '2026-03-02T13:05:00.000Z', { anonymousId: 'fay', path: '/d', session: 'session-fay' }),
    line('g1', '2026-03-02T13:10:00.000Z', { anonymousId: 'gus', path: '/g' }),
  ])
  await writeDataFile(
    dataDir,
    '2026-03-03T11:00:00.000Z',
    [line('h1', '2026-03-03T11:00:00.000Z', { anonymousId: 'hal', path: '/h' })],
    true,
  )
}

/** The same data twice: read from its files, and compacted (but for what arrived since). */
async function sameDataTwice() {
  const files = await tempDir()
  await compactedDays(files)
  const compacted = await tempDir()
  await cp(files, compacted, { recursive: true })
  await compactDays({ dataDir: compacted, now })
  await laterFiles(files)
  await laterFiles(compacted)
  return { files, compacted }
}

const views: { from: string; to: string; writeKey?: string; filters?: ReportFilters }[] = [
  { from: '2026-03-01T00:00:00.000Z', to: now.toISOString() },
  // Ben's visit starts before the range, ivy's ends after it: each counted by its lines within.
  { from: '2026-03-01T10:30:00.000Z', to: '2026-03-02T00:05:00.000Z' },
  { from: '2026-03-02T00:00:00.000Z', to: now.toISOString() },
  { from: '2026-03-01T00:00:00.000Z', to: now.toISOString(), writeKey: 'blog' },
  { from: '2026-03-01T00:00:00.000Z', to: now.toISOString(), filters: { source: 'search.example' } },
  { from: '2026-03-01T00:00:00.000Z', to: now.toISOString(), filters: { source: 'newsletter' } },
  { from: '2026-03-01T00:00:00.000Z', to: now.toISOString(), filters: { campaign: 'spring' } },
  { from: '2026-03-01T00:00:00.000Z', to: now.toISOString(), filters: { source: '(direct)', page: '/b' } },
]

/** Rewrites a compacted day's visit summaries with columns replaced (`replace`: SQL of `REPLACE (…)`'s list). */
async function markSummaries(dataDir: string, day: string, replace: string) {
  const manifest = JSON.parse(await readFile(join(dataDir, `compacted/dt=${day}.json`), 'utf8'))
  const file = join(dataDir, 'compacted', manifest.visits)
  const db = await openDb()
  try {
    await db.run(`CREATE TABLE marked AS SELECT * REPLACE (${replace}) FROM read_parquet('${file}')`)
    await db.run(`COPY marked TO '${file}' (FORMAT parquet)`)
  } finally {
    db.close()
  }
}

/** One section's HTML of a built report. */
const sectionHtml = (report: Awaited<ReturnType<typeof buildReport>>, section: string) =>
  report.sections.find((s) => s.id === section)!.html

/** One section's HTML of the compacted data's report over one of the views' ranges. */
async function sectionOf(dataDir: string, view: (typeof views)[number], section: string) {
  return sectionHtml(await buildReport({ dataDir, from: new Date(view.from), to: new Date(view.to), now }), section)
}

describe('visit summaries', () => {
  it('give every view the visits its files give: within a day, across midnight and files, at the edges, per site, filtered', {
    timeout: 60_000,
  }, async () => {
    const { files, compacted } = await sameDataTwice()
    for (const view of views) {
      const options = {
        from: new Date(view.from),
        to: new Date(view.to),
        now,
        compareWith: { from: new Date('2026-02-27T00:00:00.000Z'), to: new Date(view.from) },
        ...(view.writeKey ? { writeKey: view.writeKey } : {}),
        ...(view.filters ? { filters: view.filters } : {}),
      }
      const fromFiles = await buildReport({ dataDir: files, ...options })
      const fromSummaries = await buildReport({ dataDir: compacted, ...options })
      expect(fromSummaries.html, JSON.stringify(view)).toBe(fromFiles.html)
    }
    // What the views count, checked once by hand: the whole range has nine visits, of which only gus's and hal's
    // bounced (dee's is saved by the late beacon). Cy's visit ends on the day after it began, fay's in a later file.
    const whole = await buildReport({ dataDir: compacted, from: new Date(views[0]!.from), to: now, now })
    const byHand: Record<string, string[]> = {
      overview: [
        'sessions" data-value="9"',
        'bounce-rate" data-value="0.2222222222222222"',
        'visitors" data-value="9"',
      ],
      'top-pages': ['exit-visits:/b" data-value="1"', 'exit-visits:/d" data-value="1"'],
      devices: [
        'country:FR" data-value="2"',
        'country:DE" data-value="2"',
        'screen:Mobile" data-value="2"',
        'screen:Laptop" data-value="2"',
      ],
      sources: ['campaign-sessions:spring" data-value="1"'],
      // Ann by her user id, cy by his user id (not his email too), ivy by her email; the one after ann gave an email
      // but viewed no page, so is no visitor to be a share of. Three emails are known, hers among them.
      people: ['identified" data-value="3"', 'emails-known" data-value="3"'],
      flows: ['flow:/ &gt; /pricing" data-value="1"', 'flow:/a &gt; /b" data-value="1"'],
    }
    for (const [section, metrics] of Object.entries(byHand)) {
      for (const metric of metrics) expect(sectionHtml(whole, section)).toContain(`data-metric="${metric}`)
    }
    expect(sectionHtml(whole, 'sources')).toContain('<small>newsletter / email</small>')
    const edgePages = await sectionOf(compacted, views[1]!, 'top-pages')
    expect(edgePages).toContain('data-metric="entry-visits:/pricing" data-value="1"')
    expect(edgePages).toContain('data-metric="entry-visits:/i" data-value="1"')
    expect(edgePages).not.toContain('entry-visits:/blog"')
  })

  it("are what the report reads for a visit wholly within a day; a visit at the range's edge is read from its lines", async () => {
    const { compacted } = await sameDataTwice()
    const manifest = JSON.parse(await readFile(join(compacted, 'compacted/dt=2026-03-01.json'), 'utf8'))
    expect(manifest.visits).toMatch(/^visits\/dt=2026-03-01\..+\.parquet$/)
    // Each entry page of the first day's summaries marked: the report shows the mark where it reads them.
    await markSummaries(compacted, '2026-03-01', `'/marked' || entry AS entry`)
    const pages = await sectionOf(compacted, views[0]!, 'top-pages')
    expect(pages).toContain('data-metric="entry-visits:/marked/" data-value="1"')
    // Cy's visit is merged from its two days' summaries.
    expect(pages).toContain('data-metric="entry-visits:/marked/a" data-value="1"')
    const edgePages = await sectionOf(compacted, views[1]!, 'top-pages')
    expect(edgePages).toContain('data-metric="entry-visits:/pricing" data-value="1"')
  })

  it("give the campaigns panel each visit's campaign, merged with a later file's lines", async () => {
    const { compacted } = await sameDataTwice()
    await markSummaries(
      compacted,
      '2026-03-02',
      `CASE WHEN campaign IS NOT NULL
         THEN {'name': 'marked ' || campaign.name, 'source': campaign.source, 'medium': campaign.medium} END AS campaign`,
    )
    // Fay's visit goes on in a later file, not compacted: merged from the day's summary and the file's lines.
    const sources = await sectionOf(compacted, views[0]!, 'sources')
    expect(sources).toContain('data-metric="campaign-sessions:marked spring" data-value="1"')
    expect(sources).toContain('<small>newsletter / email</small>')
  })

  it("join a merged visit's flow from its parts' flows, but read it from the lines where a late beacon interleaves them", async () => {
    const files = await tempDir()
    await writeDataFile(files, '2026-03-01T22:00:00.000Z', [
      line('j1', '2026-03-01T22:00:00.000Z', { anonymousId: 'jo', path: '/p' }),
      line('j3', '2026-03-01T22:10:00.000Z', { anonymousId: 'jo', path: '/r' }),
      line('k1', '2026-03-01T23:50:00.000Z', { anonymousId: 'kim', path: '/k' }),
      line('k2', '2026-03-01T23:55:00.000Z', { anonymousId: 'kim', path: '/l' }),
    ])
    await writeDataFile(files, '2026-03-02T00:00:00.000Z', [
      // Viewed at 22:05, its beacon arrived after midnight: jo's parts interleave, his flow is /p, /q, /r, /s.
      line('j2', '2026-03-01T22:05:00.000Z', { anonymousId: 'jo', path: '/q', receivedAt: '2026-03-02T00:01:00.000Z' }),
      line('j4', '2026-03-02T00:03:00.000Z', { anonymousId: 'jo', path: '/s' }),
      // Kim's visit goes on after midnight where it stopped: /l again is one step, then /m.
      line('k3', '2026-03-02T00:02:00.000Z', { anonymousId: 'kim', path: '/l' }),
      line('k4', '2026-03-02T00:04:00.000Z', { anonymousId: 'kim', path: '/m' }),
    ])
    const compacted = await tempDir()
    await cp(files, compacted, { recursive: true })
    await compactDays({ dataDir: compacted, now })
    const options = { from: new Date('2026-03-01T00:00:00.000Z'), to: now, now }
    const flows = sectionHtml(await buildReport({ dataDir: compacted, ...options }), 'flows')
    expect(flows).toBe(sectionHtml(await buildReport({ dataDir: files, ...options }), 'flows'))
    expect(flows).toContain('data-metric="flow:/p &gt; /q &gt; /r &gt; /s" data-value="1"')
    expect(flows).toContain('data-metric="flow:/k &gt; /l &gt; /m" data-value="1"')
    // The second day's flows marked (/m and /s): kim's is joined from the summaries, jo's read from his lines.
    await markSummaries(
      compacted,
      '2026-03-02',
      `list_transform(steps, (step) -> CASE WHEN step IN ('/m', '/s') THEN '/marked' || step ELSE step END) AS steps`,
    )
    const marked = sectionHtml(await buildReport({ dataDir: compacted, ...options }), 'flows')
    expect(marked).toContain('data-metric="flow:/k &gt; /l &gt; /marked/m" data-value="1"')
    expect(marked).toContain('data-metric="flow:/p &gt; /q &gt; /r &gt; /s" data-value="1"')
  })

  it('a day compacted before it had them, or with older ones: its visits are read from the lines, and the next compaction writes them', async () => {
    const { files, compacted } = await sameDataTwice()
    const options = { from: new Date(views[1]!.from), to: new Date(views[1]!.to), now }
    const expected = (await buildReport({ dataDir: files, ...options })).html
    const manifestFile = join(compacted, 'compacted/dt=2026-03-01.json')
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'))
    expect(manifest.visitsVersion).toBe(6)
    // The first summaries had no flows and no version; the second ones a campaign's name alone; the third no people;
    // the fourth no source; the fifth no utm medium.
    const file = join(compacted, 'compacted', manifest.visits)
    const db = await openDb()
    try {
      await db.run(`CREATE TABLE fifth AS SELECT * EXCLUDE (utm_medium, utm_medium_at) FROM read_parquet('${file}')`)
      await db.run(`COPY fifth TO '${file}' (FORMAT parquet)`)
      await writeFile(manifestFile, JSON.stringify({ ...manifest, visitsVersion: 5 }))
      expect((await buildReport({ dataDir: compacted, ...options })).html).toBe(expected)
      await db.run(`CREATE TABLE fourth AS SELECT * EXCLUDE (source) FROM fifth`)
      await db.run(`COPY fourth TO '${file}' (FORMAT parquet)`)
      await writeFile(manifestFile, JSON.stringify({ ...manifest, visitsVersion: 4 }))
      expect((await buildReport({ dataDir: compacted, ...options })).html).toBe(expected)
      await db.run(`CREATE TABLE third AS SELECT * EXCLUDE (people) FROM fourth`)
      await db.run(`COPY third TO '${file}' (FORMAT parquet)`)
      await writeFile(manifestFile, JSON.stringify({ ...manifest, visitsVersion: 3 }))
      expect((await buildReport({ dataDir: compacted, ...options })).html).toBe(expected)
      await db.run(`CREATE TABLE second AS SELECT * REPLACE (campaign.name AS campaign) FROM third`)
      await db.run(`COPY second TO '${file}' (FORMAT parquet)`)
      await writeFile(manifestFile, JSON.stringify({ ...manifest, visitsVersion: 2 }))
      expect((await buildReport({ dataDir: compacted, ...options })).html).toBe(expected)
      await db.run(`COPY (SELECT * EXCLUDE (steps) FROM second) TO '${file}' (FORMAT parquet)`)
    } finally {
      db.close()
    }
    await writeFile(manifestFile, JSON.stringify({ ...manifest, visitsVersion: undefined }))
    expect((await buildReport({ dataDir: compacted, ...options })).html).toBe(expected)
    const { visits, visitsVersion, ...older } = manifest
    await writeFile(manifestFile, JSON.stringify(older))
    expect((await buildReport({ dataDir: compacted, ...options })).html).toBe(expected)
    const again = await compactDays({ dataDir: compacted, now })
    expect(again.compacted.map((day) => day.day)).toEqual(['2026-03-01', '2026-03-02'])
    expect(JSON.parse(await readFile(manifestFile, 'utf8')).visitsVersion).toBe(6)
    expect((await buildReport({ dataDir: compacted, ...options })).html).toBe(expected)
  })
})
