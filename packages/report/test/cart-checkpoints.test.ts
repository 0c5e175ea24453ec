import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { erasePerson } from '@spoor/log'
import { buildReport, compactDays } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'
import { cartsUndecidedFrom, planDays } from '../src/compaction/plan-sources.js'
import { cartsResumePoint } from '../src/compaction/resume-carts.js'

const now = new Date('2026-03-02T12:00:00.000Z')
const range = { from: new Date('2026-03-01T00:00:00.000Z'), to: now, now }
const carts = { windowMs: 60 * 60_000, recoverWithinMs: 24 * 60 * 60_000 }

const withFields = (line: string, fields: object) => JSON.stringify({ ...JSON.parse(line), ...fields })
const cartLine = (id: string, at: string, anonymousId: string, writeKey = 'shop') =>
  withFields(eventLine(id, at, { anonymousId, event: 'Product Added' }), {
    writeKey,
    properties: { cart_id: `c-${anonymousId}`, products: [{ product_id: 'tea', price: 5, quantity: 2 }], value: 10 },
  })

/**
 * 1 March, compacted: Ann fills a cart at 22:00 and signs in; Ben's page at 23:30 decides her cart abandoned. Cy
 * (and a blog's reader) fill carts at 23:40, Erin at 23:50: all still open at midnight.
 * 2 March, not compacted: the shop's backend sends Ann's order by her user id alone, Cy comes back at 00:20, Dee's
 * page at 02:00 decides Cy's and Erin's carts (and the blog's).
 */
async function cartDays() {
  const dataDir = await tempDir()
  await writeDataFile(dataDir, '2026-03-01T22:00:00.000Z', [
    cartLine('a1', '2026-03-01T22:00:00.000Z', 'ann'),
    eventLine('a2', '2026-03-01T22:10:00.000Z', { anonymousId: 'ann', userId: 'u-ann', traits: { plan: 'free' } }),
  ])
  await writeDataFile(dataDir, '2026-03-01T23:00:00.000Z', [
    eventLine('b1', '2026-03-01T23:30:00.000Z', { anonymousId: 'ben', path: '/' }),
    cartLine('c1', '2026-03-01T23:40:00.000Z', 'cy'),
    cartLine('r1', '2026-03-01T23:40:00.000Z', 'reader', 'blog'),
    cartLine('e1', '2026-03-01T23:50:00.000Z', 'erin-device-7'),
  ])
  await writeDataFile(dataDir, '2026-03-02T00:00:00.000Z', [
    eventLine('c2', '2026-03-02T00:20:00.000Z', { anonymousId: 'cy', path: '/' }),
  ])
  await writeDataFile(dataDir, '2026-03-02T02:00:00.000Z', [
    eventLine('d1', '2026-03-02T02:00:00.000Z', { anonymousId: 'dee', path: '/' }),
  ])
  await writeDataFile(dataDir, '2026-03-02T08:00:00.000Z', [
    withFields(eventLine('o1', '2026-03-02T08:00:00.000Z', { anonymousId: 'x', event: 'Order Completed' }), {
      anonymousId: null,
      userId: 'u-ann',
      properties: { order_id: 'o-1', value: 10, currency: 'EUR' },
    }),
  ])
  return dataDir
}

const figure = (html: string, name: string) =>
  Number(new RegExp(`data-metric="${name}" data-value="([^"]*)"`).exec(html)?.[1] ?? Number.NaN)
const cartsHtml = (report: { sections: { id: string; html: string }[] }) =>
  report.sections.find((s) => s.id === 'carts')!.html

describe("the report's cart decisions after the compacted days", () => {
  it("resume from the last compacted day's checkpoint and decide what the replay of the files decides", async () => {
    const dataDir = await cartDays()
    const fromFiles = await buildReport({ dataDir, ...range })
    // Ann's, Cy's, Erin's and the blog reader's.
    expect(figure(cartsHtml(fromFiles), 'carts-abandoned')).toBe(4)
    expect(figure(cartsHtml(fromFiles), 'carts-recovered')).toBe(1)
    const blog = await buildReport({ dataDir, ...range, writeKey: 'blog' })
    expect(figure(cartsHtml(blog), 'carts-abandoned')).toBe(1)
    // A view of 2 March alone: the checkpoint's day lies before it.
    const today = { ...range, from: new Date('2026-03-02T00:00:00.000Z') }
    const todayFromFiles = await buildReport({ dataDir, ...today })
    expect(figure(cartsHtml(todayFromFiles), 'carts-abandoned')).toBe(3)

    await compactDays({ dataDir, days: ['2026-03-01'], now })
    const manifest = JSON.parse(await readFile(join(dataDir, 'compacted/dt=2026-03-01.json'), 'utf8'))
    expect(manifest.carts.checkpoint).toMatch(/^carts\/dt=2026-03-01\.\w+\.json$/)
    const days = await planDays(dataDir, range.from, now)
    const undecidedFrom = cartsUndecidedFrom(days, range.from, now, carts)
    const resume = await cartsResumePoint(dataDir, days, { undecidedFrom, decideAt: now, ...carts })
    expect(resume?.at).toEqual(new Date('2026-03-02T00:00:00.000Z'))
    // Ann's order names her user id alone, and no cart event of hers is among the lines after the checkpoint.
    expect((await buildReport({ dataDir, ...range })).html).toBe(fromFiles.html)
    expect((await buildReport({ dataDir, ...range, writeKey: 'blog' })).html).toBe(blog.html)
    const todayDays = await planDays(dataDir, new Date('2026-02-27T00:00:00.000Z'), now)
    const todayUndecided = cartsUndecidedFrom(todayDays, today.from, now, carts)
    expect(
      await cartsResumePoint(dataDir, todayDays, { undecidedFrom: todayUndecided, decideAt: now, ...carts }),
    ).toBeDefined()
    expect((await buildReport({ dataDir, ...today })).html).toBe(todayFromFiles.html)
  })

  it('replay the files instead when a file reached a compacted day after it was compacted, or a day before it', async () => {
    const dataDir = await cartDays()
    await compactDays({ dataDir, days: ['2026-03-01'], now })
    // Fay's cart, in a file published late into 1 March: the checkpoint never saw it.
    await writeDataFile(dataDir, '2026-03-01T23:55:00.000Z', [cartLine('f1', '2026-03-01T23:55:00.000Z', 'fay')])
    const days = await planDays(dataDir, range.from, now)
    const undecidedFrom = cartsUndecidedFrom(days, range.from, now, carts)
    expect(await cartsResumePoint(dataDir, days, { undecidedFrom, decideAt: now, ...carts })).toBeUndefined()
    const report = await buildReport({ dataDir, ...range })
    expect(figure(cartsHtml(report), 'carts-abandoned')).toBe(5)

    // Both days compacted, then 1 March again alone: 2 March's checkpoint never saw Fay's cart, 1 March's new one did.
    const later = new Date('2026-03-03T12:00:00.000Z')
    await compactDays({ dataDir, now: later })
    await writeDataFile(dataDir, '2026-03-01T23:56:00.000Z', [cartLine('g1', '2026-03-01T23:56:00.000Z', 'gus')])
    await compactDays({ dataDir, days: ['2026-03-01'], now: later })
    const again = await planDays(dataDir, new Date('2026-02-25T00:00:00.000Z'), later)
    const point = await cartsResumePoint(dataDir, again, {
      undecidedFrom: cartsUndecidedFrom(again, range.from, later, carts),
      decideAt: later,
      ...carts,
    })
    expect(point?.at).toEqual(new Date('2026-03-02T00:00:00.000Z'))
  })

  it('lose to erasure the days whose decisions or checkpoint may be about the person, not only the days of her lines', async () => {
    const dataDir = await cartDays()
    await compactDays({ dataDir, now })
    const folder = join(dataDir, 'compacted')
    // Every compacted file, Parquet and checkpoint alike, that names her.
    const naming = async () => {
      const names = [
        ...(await readdir(folder)).filter((n) => n.endsWith('.parquet')),
        ...(await readdir(join(folder, 'carts'))).map((n) => `carts/${n}`),
      ]
      const found: string[] = []
      for (const name of names) if ((await readFile(join(folder, name))).includes('erin-device-7')) found.push(name)
      return found.map((name) => name.replace(/\.\w+\.(parquet|json)$/, '')).sort()
    }
    // Erin sent nothing on 2 March, but the batch run decided her cart on Dee's line that morning: that day's Parquet
    // file holds the decision, in no NDJSON file, and its checkpoint her closed cart.
    expect(await naming()).toEqual(['carts/dt=2026-03-01', 'carts/dt=2026-03-02', 'dt=2026-03-01', 'dt=2026-03-02'])

    const erased = await erasePerson({ dataDir, target: { anonymousId: 'erin-device-7' } })
    expect(erased.droppedDays).toEqual(['2026-03-01', '2026-03-02'])
    expect(await naming()).toEqual([])
    const files = await buildReport({ dataDir, ...range })
    expect(figure(cartsHtml(files), 'carts-abandoned')).toBe(3)
    // Compacted again, without her; the report resumes from 1 March's new checkpoint and agrees with the files.
    await compactDays({ dataDir, days: ['2026-03-01'], now })
    expect(await naming()).toEqual([])
    expect((await buildReport({ dataDir, ...range })).html).toBe(files.html)
  })
})
