import { readFile } from 'node:fs/promises'
import { parseConfig, presentsToken } from '@spoor/collector'
import { buildReport, compactDays, dashboard, type Funnel, siteFunnels } from '@spoor/report'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'

const now = new Date('2026-03-03T12:00:00.000Z')
const range = { from: new Date('2026-03-01T00:00:00.000Z'), to: now, now }

const signUp: Funnel = { name: 'Sign-up', steps: [{ page: '/' }, { page: '/pricing' }, { event: 'Signed Up' }] }
const twice: Funnel = { name: 'Home twice', steps: [{ page: '/' }, { page: '/' }] }

/** Four visits, each going its own way through the pages and the sign-up. */
async function visits() {
  const dataDir = await tempDir()
  let minute = 0
  const line = (visitor: string, step: { path?: string; event?: string }) => {
    const at = `2026-03-01T10:${String(minute++).padStart(2, '0')}:00.000Z`
    return eventLine(`${visitor}${minute}`, at, { anonymousId: visitor, ...step })
  }
  await writeDataFile(dataDir, '2026-03-01T10:00:00.000Z', [
    // Ann goes through, with a blog page between.
    line('ann', { path: '/' }),
    line('ann', { path: '/blog' }),
    line('ann', { path: '/pricing' }),
    line('ann', { event: 'Signed Up' }),
    // Ben sees the pricing before the home page: he starts the funnel and stops there.
    line('ben', { path: '/pricing' }),
    line('ben', { path: '/' }),
    // Cy signs up before seeing the pricing: two steps.
    line('cy', { path: '/' }),
    line('cy', { event: 'Signed Up' }),
    line('cy', { path: '/pricing' }),
    // Dee comes back to the home page.
    line('dee', { path: '/' }),
    line('dee', { path: '/about' }),
    line('dee', { path: '/' }),
  ])
  await compactDays({ dataDir })
  return dataDir
}

const counts = async (dataDir: string, shown: Funnel) => {
  const report = await buildReport({ dataDir, ...range, funnels: { shown: [shown], names: [shown.name] } })
  return report.sections.find((s) => s.id === 'site-funnel')!.csv!.rows.map((row) => row[4])
}

describe('a funnel the site defines', () => {
  it('counts the visits reaching each step in order, other pages between, a repeated step needing two lines', async () => {
    const dataDir = await visits()
    expect(await counts(dataDir, signUp)).toEqual([4, 2, 1])
    expect(await counts(dataDir, twice)).toEqual([4, 1])
    // Without a funnel, the section says how to define one.
    const plain = await buildReport({ dataDir, ...range })
    expect(plain.sections.find((s) => s.id === 'site-funnel')!.filled).toBe(false)
    expect(plain.html).toContain('Name the steps of a funnel (pages viewed, events sent)')
  })

  it('is read from the site in the config, and a funnel that cannot be read is refused with the form to write', async () => {
    const site = (funnels: unknown) => parseConfig({ sites: [{ writeKey: 'shop', funnels }] }).sites[0]!
    expect(siteFunnels(site([signUp]), 'sites[0]')).toEqual([signUp])
    expect(siteFunnels(site(undefined))).toEqual([])
    // The README's example, as a reader copies it into a site.
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8')
    const example = /`"funnels": (\[[^`]+\])` in its entry/.exec(readme.replaceAll('\n  ', ' '))![1]!
    expect(siteFunnels(site(JSON.parse(example)))).toEqual([
      { name: 'Sign-up', steps: [{ page: '/pricing' }, { event: 'Signed Up' }] },
    ])
    const refused = (funnels: unknown) => () => siteFunnels(site(funnels), 'sites[0]')
    expect(refused({ name: 'x' })).toThrow('sites[0].funnels: must be a list of funnels like')
    expect(refused([{ name: 'One', steps: [{ page: '/' }] }])).toThrow(
      'sites[0].funnels[0].steps: must be a list of 2 to 8 steps',
    )
    expect(refused([{ name: 'Bad', steps: [{ page: '/' }, { path: '/x' }] }])).toThrow(
      'sites[0].funnels[0].steps[1]: must be {"page": "/path"} or {"event": "Event Name"}',
    )
    expect(refused([{ name: 'Bad', steps: [{ page: '/' }, { page: 'pricing' }] }])).toThrow(
      'sites[0].funnels[0].steps[1]: a page is a path starting with "/", as "/pricing"',
    )
    expect(refused([signUp, signUp])).toThrow('sites[0].funnels[1].name: "Sign-up" names two funnels')
    expect(refused([{ ...signUp, order: 'strict' }])).toThrow('sites[0].funnels[0]: unknown key "order"')
    expect(refused(Array.from({ length: 21 }, (_, i) => ({ ...signUp, name: `F${i}` })))).toThrow(
      '21 funnels: a site may have 20 at most',
    )
  })

  it('shows on the dashboard, the first by default, each reachable by a link, an unknown one refused', async () => {
    const dataDir = await visits()
    const token = 'a-dashboard-token-of-24-chars+'
    const config = parseConfig({ sites: [{ writeKey: 'shop', funnels: [signUp, twice] }], dashboard: { token } })
    const app = new Hono().route('/', dashboard({ config, dataDir, presentsToken, now: () => now }))
    const get = (query: string) => app.request(`/dashboard?${query}`, { headers: { authorization: `Bearer ${token}` } })
    const first = await (await get('period=7d')).text()
    expect(first).toContain('data-metric="site-funnel:Sign-up:3" data-value="1"')
    expect(first).toContain('<a class="range" href="dashboard?period=7d&amp;funnel=Home+twice">Home twice</a>')
    const second = await (await get('period=7d&funnel=Home+twice')).text()
    expect(second).toContain('data-metric="site-funnel:Home twice:2" data-value="1"')
    expect(second).not.toContain('data-metric="site-funnel:Sign-up:')
    expect(second).toContain('href="dashboard?period=7d&amp;funnel=Home+twice" aria-current="page">Home twice</a>')
    const unknown = await get('period=7d&funnel=Checkout')
    expect(unknown.status).toBe(400)
    expect((await unknown.json()).error).toBe('funnel "Checkout" is not one of Sign-up, Home twice')
  }, 30_000)
})
