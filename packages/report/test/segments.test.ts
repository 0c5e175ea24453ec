import { readFile } from 'node:fs/promises'
import { parseConfig, presentsToken } from '@spoor/collector'
import { dashboard, siteSegments } from '@spoor/report'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'

const token = 'a-dashboard-token-of-24-chars+'
const now = new Date('2026-03-03T12:00:00.000Z')

describe('segments', () => {
  it("are links in the toolbar that set their filters in place of the view's, the range kept", async () => {
    const dataDir = await tempDir()
    const at = '2026-03-01T10:00:00.000Z'
    await writeDataFile(dataDir, at, [
      eventLine('a1', at, { anonymousId: 'ann', path: '/', referrer: 'https://www.google.com/' }),
      eventLine('b1', at, { anonymousId: 'ben', path: '/blog' }),
    ])
    const segments = [
      { name: 'From Google', filters: 'source=www.google.com' },
      { name: 'Not the blog', filters: 'not_page=/blog' },
    ]
    const config = parseConfig({ sites: [{ writeKey: 'shop', segments }], dashboard: { token } })
    const app = new Hono().route('/', dashboard({ config, dataDir, presentsToken, now: () => now }))
    const page = async (query: string) =>
      (await app.request(`/dashboard?${query}`, { headers: { authorization: `Bearer ${token}` } })).text()
    const plain = await page('period=7d&page=%2Fblog')
    // The view's own filter (page=/blog) gives way to the segment's.
    expect(plain).toContain('<a class="range" href="dashboard?period=7d&amp;source=www.google.com">From Google</a>')
    expect(plain).toContain('<a class="range" href="dashboard?period=7d&amp;not_page=%2Fblog">Not the blog</a>')
    const google = await page('period=7d&source=www.google.com')
    expect(google).toContain('data-metric="visitors" data-value="1"')
    expect(google).toContain('href="dashboard?period=7d&amp;source=www.google.com" aria-current="page">From Google</a>')
  }, 30_000)

  it('are read from the site in the config, filters only, and one that cannot be read is refused', async () => {
    const site = (segments: unknown) => parseConfig({ sites: [{ writeKey: 'shop', segments }] }).sites[0]!
    // The README's example, as a reader copies it into a site.
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8')
    const example = JSON.parse(/`"segments": (\[[^`]+\])`/.exec(readme.replaceAll('\n  ', ' '))![1]!)
    expect(siteSegments(site(example))).toEqual([
      {
        name: 'Google on phones',
        filters: [
          ['source', 'www.google.com'],
          ['screen', 'Mobile'],
        ],
      },
    ])
    const refused = (segments: unknown) => () => siteSegments(site(segments), 'sites[0]')
    expect(refused([{ name: 'Last week', filters: 'period=7d' }])).toThrow(
      'sites[0].segments[0].filters: "period" is not a filter',
    )
    expect(refused([{ name: 'Empty', filters: '' }])).toThrow('sites[0].segments[0].filters names no filter')
    expect(refused([{ name: 'Pro', filters: 'not_property=plan' }])).toThrow(
      'sites[0].segments[0].filters: not_property "plan" names no value: write KEY=VALUE, as plan=pro',
    )
    expect(refused([{ filters: 'source=x' }])).toThrow('sites[0].segments[0].name must be a text of 1 to 80 characters')
    expect(refused({ name: 'x' })).toThrow('sites[0].segments: must be a list like')
  })
})
