import { readFile } from 'node:fs/promises'
import { parseConfig, presentsToken } from '@spoor/collector'
import { buildReport, compactDays, dashboard, sitePageGoals } from '@spoor/report'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'

const now = new Date('2026-03-03T12:00:00.000Z')
const range = { from: new Date('2026-03-01T00:00:00.000Z'), to: now, now }

/** Three visitors: two reach the thank-you page (one twice), one reads the blog; a path holds a LIKE character. */
async function visits() {
  const dataDir = await tempDir()
  const at = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`
  const view = (id: string, visitor: string, minute: number, path: string) =>
    eventLine(id, at(minute), { anonymousId: visitor, path })
  await writeDataFile(dataDir, at(0), [
    view('a1', 'ann', 0, '/'),
    view('a2', 'ann', 1, '/thank-you'),
    view('a3', 'ann', 2, '/thank-you'),
    view('b1', 'ben', 3, '/blog/tea/green'),
    view('b2', 'ben', 4, '/100%_pure'),
    view('c1', 'cy', 5, '/thank-you'),
    eventLine('c2', at(6), { anonymousId: 'cy', event: 'Signed Up', properties: { plan: 'pro' } }),
  ])
  await compactDays({ dataDir })
  return dataDir
}

describe('page goals', () => {
  it('count the visitors who viewed a page the site names, * for any part, beside the custom events', async () => {
    const dataDir = await visits()
    const report = await buildReport({
      dataDir,
      ...range,
      pageGoals: ['/thank-you', '/blog/*', '/100%_pure', '/100__pure', '/never'],
    })
    const rows = report.sections.find((s) => s.id === 'goals')!.csv!.rows
    // Visitors, then views; a goal nobody reached is left out, as an event nobody sent is; % and _ are literal.
    expect(rows.map((row) => [row[0], row[3], row[4]])).toEqual([
      ['Visit /thank-you', 2, 3],
      ['Signed Up', 1, 1],
      ['Visit /100%_pure', 1, 1],
      ['Visit /blog/*', 1, 1],
    ])
  })

  it('show beside the twelve most frequent custom events, neither pushing out the other', async () => {
    const dataDir = await tempDir()
    const at = '2026-03-01T10:00:00.000Z'
    // Thirteen custom events sent by two visitors each, and a named page one visitor viewed.
    const lines = Array.from({ length: 13 }, (_, i) =>
      ['ann', 'ben'].map((visitor) => eventLine(`e${i}${visitor}`, at, { anonymousId: visitor, event: `Event ${i}` })),
    ).flat()
    await writeDataFile(dataDir, at, [...lines, eventLine('p1', at, { anonymousId: 'cy', path: '/thank-you' })])
    const report = await buildReport({ dataDir, ...range, pageGoals: ['/thank-you'] })
    const rows = report.sections.find((s) => s.id === 'goals')!.csv!.rows.map((row) => row[0])
    expect(rows).toHaveLength(13)
    expect(rows.filter((name) => String(name).startsWith('Event '))).toHaveLength(12)
    expect(rows.at(-1)).toBe('Visit /thank-you')
  })

  it('filter the view to the visits that reached them, as a clicked row does', async () => {
    const dataDir = await visits()
    const pageGoals = ['/thank-you', '/blog/*']
    const events = async (goal: string, not = false) =>
      (await buildReport({ dataDir, ...range, pageGoals, filters: not ? { not: { goal } } : { goal } })).events
    expect(await events('Visit /thank-you')).toBe(5)
    expect(await events('Visit /blog/*')).toBe(2)
    expect(await events('Visit /thank-you', true)).toBe(2)
    expect(await events('Signed Up')).toBe(2)
    // With a page goal, a property filter holds on any of the visit's own events (page views carry none).
    const both = await buildReport({
      dataDir,
      ...range,
      pageGoals,
      filters: { goal: 'Visit /thank-you', property: 'plan=pro' },
    })
    expect(both.events).toBe(2)
    // A name the site gave no page goal is an event's name: a pattern from the URL never reaches a LIKE (one of eight
    // wildcards over a few paths took DuckDB most of a minute).
    expect(await events('Visit /blog/tea/green')).toBe(0)
    expect(await events('Visit /*a*a*a*a*a*a*a*a*b')).toBe(0)
    // Turned around ("is not"), such a name leaves out no visit either: not the blog reader's, nor, for a `*`, all.
    expect(await events('Visit /blog/tea/green', true)).toBe(7)
    expect(await events('Visit /*', true)).toBe(7)
  })

  it('are read from the site in the config, and one that cannot be read is refused with the form to write', async () => {
    const site = (goals: unknown) => parseConfig({ sites: [{ writeKey: 'shop', goals }] }).sites[0]!
    // The README's example, as a reader copies it into a site.
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8')
    const example = /`"goals": (\[[^`]+\])`/.exec(readme.replaceAll('\n  ', ' '))![1]!
    expect(sitePageGoals(site(JSON.parse(example)))).toEqual(['/thank-you', '/blog/*'])
    expect(sitePageGoals(site(undefined))).toEqual([])
    expect(() => sitePageGoals(site([{ page: 'thank-you' }]), 'sites[0]')).toThrow(
      'sites[0].goals[0]: must be {"page": "/path"}, a path of up to 200 characters (* for any part)',
    )
    expect(() => sitePageGoals(site({ page: '/' }), 'sites[0]')).toThrow('sites[0].goals: must be a list of pages')
    // A run of * is one; more than three are refused (the LIKE's work grows fast with them).
    expect(sitePageGoals(site([{ page: '/blog/**' }]))).toEqual(['/blog/*'])
    expect(() => sitePageGoals(site([{ page: '/*a*b*c*d' }]), 'sites[0]')).toThrow(
      'sites[0].goals[0]: "/*a*b*c*d" has more than 3 *',
    )
  })

  it("show on the site's dashboard, each row a filter", async () => {
    const dataDir = await visits()
    const token = 'a-dashboard-token-of-24-chars+'
    const config = parseConfig({ sites: [{ writeKey: 'shop', goals: [{ page: '/thank-you' }] }], dashboard: { token } })
    const app = new Hono().route('/', dashboard({ config, dataDir, presentsToken, now: () => now }))
    const html = await (
      await app.request('/dashboard?period=7d', { headers: { authorization: `Bearer ${token}` } })
    ).text()
    expect(html).toContain('data-metric="goal-visitors:Visit /thank-you" data-value="2"')
    expect(html).toContain('href="dashboard?period=7d&amp;goal=Visit+%2Fthank-you">Visit /thank-you</a>')
  }, 30_000)
})
