import { buildReport, compactDays, type ReportFilters } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'

const now = new Date('2026-03-03T12:00:00.000Z')
const range = { from: new Date('2026-03-01T00:00:00.000Z'), to: now, now }

/** Sign-ups with a plan, and the fields a sender adds besides: nested, listed, empty, and more keys than shown. */
async function signUps() {
  const dataDir = await tempDir()
  const at = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`
  const signUp = (id: string, visitor: string, minute: number, properties: object) =>
    eventLine(id, at(minute), { anonymousId: visitor, event: 'Signed Up', properties })
  await writeDataFile(dataDir, at(0), [
    eventLine('p1', at(0), { anonymousId: 'ann', path: '/' }),
    signUp('s1', 'ann', 1, { plan: 'pro', seats: 3, trial: true, team: { size: 3 }, tags: ['a'], coupon: null }),
    // Ann signs up twice: two events, one visitor.
    signUp('s2', 'ann', 2, { plan: 'pro', seats: 5 }),
    signUp('s3', 'ben', 3, { plan: 'free', k1: 1, k2: 1, k3: 1, k4: 1 }),
    signUp('s4', 'cy', 4, { plan: 'free' }),
    // Dee's plan is 20,000 characters long.
    signUp('s5', 'dee', 5, { plan: 'team'.padEnd(20_000, 'x') }),
    eventLine('o1', at(6), { anonymousId: 'dee', event: 'Order Completed', properties: { plan: 'ignored' } }),
  ])
  await compactDays({ dataDir })
  return dataDir
}

describe("a goal's properties", () => {
  it('show when the view is filtered to the goal: each value with its visitors and events, the most frequent', async () => {
    const dataDir = await signUps()
    const unfiltered = await buildReport({ dataDir, ...range })
    expect(unfiltered.sections.find((s) => s.id === 'goals')!.html).not.toContain('Properties of')
    const report = await buildReport({ dataDir, ...range, filters: { goal: 'Signed Up' } })
    const goals = report.sections.find((s) => s.id === 'goals')!
    expect(goals.html).toContain('Properties of Signed Up')
    const rows = goals.csv!.rows.filter((row) => row[1] !== null).map((row) => row.slice(1, 5))
    // Five keys at most (plan, seats, then the once-seen ones by name), objects, lists and nulls left out.
    // A long value is cut to what a cell shows.
    expect(goals.html).not.toContain('x'.repeat(121))
    expect(rows).toEqual([
      ['k1', '1', 1, 1],
      ['k2', '1', 1, 1],
      ['k3', '1', 1, 1],
      ['plan', 'free', 2, 2],
      ['plan', 'pro', 1, 2],
      ['plan', 'team'.padEnd(120, 'x'), 1, 1],
      ['seats', '3', 1, 1],
      ['seats', '5', 1, 1],
    ])
    expect(goals.html).toContain('data-metric="goal-property-visitors:plan=pro" data-value="1"')
    expect(goals.html).toContain('data-metric="goal-property-events:plan=pro" data-value="2"')
  })
})

describe('a property filter', () => {
  const events = async (dataDir: string, filters: ReportFilters) =>
    (await buildReport({ dataDir, ...range, filters })).events

  it("keeps the sessions with an own event that carried the property, on the goal's events when a goal is set", async () => {
    const dataDir = await signUps()
    // Ann's page view and two sign-ups; numbers are matched as their text.
    expect(await events(dataDir, { property: 'plan=pro' })).toBe(3)
    expect(await events(dataDir, { property: 'seats=5' })).toBe(3)
    expect(await events(dataDir, { property: 'plan=free' })).toBe(2)
    // Dee's order said "ignored": under a goal, only that goal's events count.
    expect(await events(dataDir, { property: 'plan=ignored' })).toBe(2)
    expect(await events(dataDir, { goal: 'Signed Up', property: 'plan=ignored' })).toBe(0)
    expect(await events(dataDir, { goal: 'Order Completed', property: 'plan=ignored' })).toBe(2)
    // A long value matches as the panel shows it, cut.
    expect(await events(dataDir, { property: `plan=${'team'.padEnd(120, 'x')}` })).toBe(2)
    // "Is not": every session without it, those with no property at all among them.
    expect(await events(dataDir, { not: { property: 'plan=pro' } })).toBe(4)
  })

  it('reads a key as a key, one that looks like a JSON path or is longer than a cell included', async () => {
    const dataDir = await tempDir()
    const at = '2026-03-01T10:00:00.000Z'
    const long = 'k'.repeat(130)
    await writeDataFile(dataDir, at, [
      eventLine('x1', at, {
        anonymousId: 'ann',
        event: 'Signed Up',
        properties: { $x: 'y', '/p': 'slash', 'a.b': 'dot' },
      }),
      eventLine('x2', at, { anonymousId: 'ben', event: 'Signed Up', properties: { p: 'slash', [long]: 'v' } }),
    ])
    expect(await events(dataDir, { property: '$x=y' })).toBe(1)
    expect(await events(dataDir, { property: 'a.b=dot' })).toBe(1)
    // "/p" is its own key, not a pointer to "p".
    expect(await events(dataDir, { property: '/p=slash' })).toBe(1)
    // A key cut to the 120 characters the panel shows still matches, as its row links it.
    expect(await events(dataDir, { property: `${'k'.repeat(120)}=v` })).toBe(1)
    const report = await buildReport({ dataDir, ...range, filters: { goal: 'Signed Up' } })
    const rows = report.sections.find((s) => s.id === 'goals')!.csv!.rows.filter((row) => row[1] !== null)
    expect(rows.map((row) => [row[1], row[2]])).toContainEqual(['$x', 'y'])
  })

  it("is what a goal's property row links to, and a value without its key is refused with the form to write", async () => {
    const dataDir = await signUps()
    const report = await buildReport({
      dataDir,
      ...range,
      filters: { goal: 'Signed Up' },
      view: { filterLink: (name, value) => `dashboard?${new URLSearchParams({ [name]: value })}` },
    })
    const goals = report.sections.find((s) => s.id === 'goals')!.html
    expect(goals).toContain('<a class="row-link" href="dashboard?property=plan%3Dpro">pro</a>')
    await expect(buildReport({ dataDir, ...range, filters: { not: { property: 'pro' } } })).rejects.toThrow(
      'not_property "pro" names no value: write KEY=VALUE, as plan=pro',
    )
  })

  it('convert a share of the visitors the view holds without the goal filter, as on the unfiltered view', async () => {
    const dataDir = await tempDir()
    const at = '2026-03-01T10:00:00.000Z'
    const view = (id: string, visitor: string, path: string) => eventLine(id, at, { anonymousId: visitor, path })
    const signUp = (id: string, visitor: string, plan: string) =>
      eventLine(id, at, { anonymousId: visitor, event: 'Signed Up', properties: { plan } })
    // Two of four visitors sign up; of the two who read /pricing, one.
    await writeDataFile(dataDir, at, [
      view('a1', 'ann', '/'),
      signUp('a2', 'ann', 'pro'),
      view('b1', 'ben', '/'),
      view('c1', 'cy', '/pricing'),
      signUp('c2', 'cy', 'free'),
      view('d1', 'dee', '/pricing'),
    ])
    const goals = async (filters: ReportFilters) => {
      const report = await buildReport({ dataDir, ...range, filters })
      return report.sections.find((s) => s.id === 'goals')!
    }
    const rate = (section: Awaited<ReturnType<typeof goals>>, property: string | null) =>
      section.csv!.rows.find((row) => row[0] === 'Signed Up' && row[1] === property && row[2] !== 'free')?.[5]
    expect(rate(await goals({}), null)).toBe(0.5)
    // Clicked, its row keeps the rate it had: 2 of 4 visitors, not 2 of the 2 the filter keeps.
    const clicked = await goals({ goal: 'Signed Up' })
    expect(rate(clicked, null)).toBe(0.5)
    expect(clicked.html).toContain('data-metric="goal-conversion:Signed Up" data-value="0.5"')
    expect(rate(clicked, 'plan')).toBe(0.25)
    // The view's other filters still hold: of the two who read /pricing, one.
    expect(rate(await goals({ goal: 'Signed Up', page: '/pricing' }), null)).toBe(0.5)
    expect(rate(await goals({ property: 'plan=pro' }), null)).toBe(0.25)
  })
})
