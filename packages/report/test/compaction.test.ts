import { createHash } from 'node:crypto'
import { appendFile, readdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildReport, compactDays } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'
import { cartsUndecidedFrom, planDays, planSources } from '../src/compaction/plan-sources.js'
import { openDb } from '../src/duckdb.js'
import { loadEvents } from '../src/load-events.js'
import { openRange } from '../src/open-range.js'

const now = new Date('2026-03-03T12:00:00.000Z')
const range = { from: new Date('2026-03-01T00:00:00.000Z'), to: now, now }

/** Two days of published files: three visitors, one from a news site. */
async function twoDays() {
  const dataDir = await tempDir()
  await writeDataFile(dataDir, '2026-03-01T10:00:00.000Z', [
    eventLine('m1', '2026-03-01T10:00:00.000Z', { anonymousId: 'ann', path: '/', referrer: 'https://news.example/a' }),
    eventLine('m2', '2026-03-01T10:01:00.000Z', { anonymousId: 'ann', path: '/pricing' }),
  ])
  await writeDataFile(dataDir, '2026-03-01T11:00:00.000Z', [
    eventLine('m3', '2026-03-01T11:00:00.000Z', { anonymousId: 'ben', path: '/blog' }),
  ])
  await writeDataFile(dataDir, '2026-03-02T09:00:00.000Z', [
    eventLine('m4', '2026-03-02T09:00:00.000Z', { anonymousId: 'cy', path: '/', referrer: 'https://search.example/' }),
    eventLine('m5', '2026-03-02T09:02:00.000Z', { anonymousId: 'cy', event: 'Signed Up' }),
  ])
  return dataDir
}

describe('compacted days', () => {
  it('are written once per day; running again does nothing, and a late file compacts its day again', async () => {
    const dataDir = await twoDays()
    const first = await compactDays({ dataDir })
    expect(first.compacted.map((d) => [d.day, d.files, d.events])).toEqual([
      ['2026-03-01', 2, 3],
      ['2026-03-02', 1, 2],
    ])
    const names = await readdir(join(dataDir, 'compacted'))
    expect(names.filter((n) => n.endsWith('.parquet'))).toHaveLength(2)
    expect(names.filter((n) => n.startsWith('.'))).toEqual([])

    expect(await compactDays({ dataDir })).toEqual({
      compacted: [],
      unchanged: ['2026-03-01', '2026-03-02'],
      dropped: [],
    })
    expect(await readdir(join(dataDir, 'compacted'))).toEqual(names)

    await writeDataFile(dataDir, '2026-03-01T23:00:00.000Z', [
      eventLine('m6', '2026-03-01T23:00:00.000Z', { anonymousId: 'dee', path: '/late' }),
    ])
    const late = await compactDays({ dataDir })
    // The day after is written again too: it is deduplicated against the days before it.
    expect(late.compacted.map((d) => [d.day, d.files, d.events])).toEqual([
      ['2026-03-01', 3, 4],
      ['2026-03-02', 1, 2],
    ])
    expect(late.unchanged).toEqual([])
    // The days' previous Parquet files stay a while for reports that planned to read them, then go: one per day.
    const parquets = async () => (await readdir(join(dataDir, 'compacted'))).filter((n) => n.endsWith('.parquet'))
    const visits = () => readdir(join(dataDir, 'compacted', 'visits'))
    expect(await parquets()).toHaveLength(4)
    expect(await visits()).toHaveLength(4)
    await compactDays({ dataDir, graceMs: 0 })
    expect(await parquets()).toHaveLength(2)
    expect(await visits()).toHaveLength(2)
  })

  it("remove a stopped run's leftovers before compacting, so that a run the leftovers make fail still removes them", async () => {
    const dataDir = await twoDays()
    await compactDays({ dataDir })
    // A run killed while it wrote a day leaves its copy of the day's lines and its Parquet file under names of their own.
    const compacted = join(dataDir, 'compacted')
    const leftovers = ['.dt=2026-03-01.0123abcd.parquet.ndjson.tmp', '.dt=2026-03-01.0123abcd.parquet.tmp']
    const anHourAgo = new Date(Date.now() - 3_600_000)
    for (const name of leftovers) {
      await writeFile(join(compacted, name), 'x'.repeat(4096))
      await utimes(join(compacted, name), anHourAgo, anHourAgo)
    }
    // One being written now, by a run still going, stays (its time set by this clock, which the sweep reads).
    await writeFile(join(compacted, '.dt=2026-03-02.4567cdef.parquet.tmp'), 'x')
    await utimes(join(compacted, '.dt=2026-03-02.4567cdef.parquet.tmp'), new Date(), new Date())
    await writeDataFile(dataDir, '2026-03-01T23:00:00.000Z', [
      eventLine('m6', '2026-03-01T23:00:00.000Z', { anonymousId: 'dee', path: '/late' }),
    ])
    // The day's compaction fails (here for want of the room it asks to keep), as it would on the disk they filled.
    await expect(compactDays({ dataDir, keepFreeBytes: Number.MAX_SAFE_INTEGER })).rejects.toThrow(
      'not enough free space to compact 2026-03-01',
    )
    expect((await readdir(compacted)).filter((name) => name.startsWith('.'))).toEqual([
      '.dt=2026-03-02.4567cdef.parquet.tmp',
    ])
  })

  it('give the same report as the files, and deleting them and compacting again gives it once more', async () => {
    const dataDir = await twoDays()
    const fromFiles = await buildReport({ dataDir, ...range })
    await compactDays({ dataDir })
    const compacted = await buildReport({ dataDir, ...range })
    await rm(join(dataDir, 'compacted'), { recursive: true })
    await compactDays({ dataDir })
    const rebuilt = await buildReport({ dataDir, ...range })
    expect(fromFiles.events).toBe(5)
    expect(compacted.html).toBe(fromFiles.html)
    expect(rebuilt.html).toBe(fromFiles.html)
  })

  it('hold the fields the panels read as columns of their own; a day compacted without them is read from its files until compacted again', async () => {
    const dataDir = await twoDays()
    await compactDays({ dataDir })
    const manifestFile = join(dataDir, 'compacted/dt=2026-03-01.json')
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'))
    const db = await openDb()
    try {
      const rows = await db.all(
        `SELECT messageId, ctx_page_path, ctx_page_referrer, prop_referrer, ctx_session_id, ctx_country
         FROM read_parquet('${join(dataDir, 'compacted', manifest.parquet)}') ORDER BY messageId`,
      )
      expect(rows).toEqual([
        {
          messageId: 'm1',
          ctx_page_path: '/',
          ctx_page_referrer: 'https://news.example/a',
          prop_referrer: 'https://news.example/a',
          ctx_session_id: 'session-ann',
          ctx_country: null,
        },
        expect.objectContaining({ messageId: 'm2', ctx_page_path: '/pricing', ctx_session_id: 'session-ann' }),
        expect.objectContaining({ messageId: 'm3', ctx_page_path: '/blog', ctx_session_id: 'session-ben' }),
      ])
    } finally {
      db.close()
    }
    const compacted = await buildReport({ dataDir, ...range })

    // A manifest written before the list of extracted columns (or with another version of it).
    const { extractedColumns, ...older } = manifest
    expect(extractedColumns).toBeTypeOf('number')
    await writeFile(manifestFile, JSON.stringify(older))
    const sources = await planSources(dataDir, range.from, range.to)
    expect(sources.parquet.map((path) => path.includes('dt=2026-03-01'))).toEqual([false])
    expect(sources.ndjson.map((file) => file.partition)).toEqual(['dt=2026-03-01/hour=10', 'dt=2026-03-01/hour=11'])
    expect((await buildReport({ dataDir, ...range })).html).toBe(compacted.html)
    const again = await compactDays({ dataDir })
    expect(again.compacted.map((day) => day.day)).toEqual(['2026-03-01', '2026-03-02'])
    expect(again.unchanged).toEqual([])
  })

  it("key each line's visitor and page view by their MD5, the same on a compacted day as on a line read from its file", async () => {
    const dataDir = await twoDays()
    await compactDays({ dataDir })
    // A page view read from its file, and its engagement report naming it; a report that names no page view.
    const engaged = (id: string, at: string, properties: object) =>
      JSON.stringify({
        ...JSON.parse(eventLine(id, at, { anonymousId: 'eve', event: 'Page Engaged' })),
        properties: { engaged_ms: 1000, ...properties },
      })
    await writeDataFile(dataDir, '2026-03-03T10:00:00.000Z', [
      eventLine('m7', '2026-03-03T10:00:00.000Z', { anonymousId: 'eve', path: '/after-compaction' }),
      engaged('m8', '2026-03-03T10:00:05.000Z', { page_view_id: 'm7' }),
      engaged('m9', '2026-03-03T10:00:06.000Z', {}),
    ])
    const db = await openRange({ dataDir, from: range.from, to: range.to })
    try {
      // md5_number_upper: the digest's first 8 bytes, little-endian. Not DuckDB's hash(), which a version may change:
      // a key that changed would count a visitor of the compacted days and of the files twice.
      const md5Key = (id: string) => createHash('md5').update(id).digest().readBigUInt64LE(0).toString()
      const keys = await db.all<{ visitor: string; key: string }>(
        'SELECT DISTINCT visitor, visitor_key::VARCHAR AS key FROM events ORDER BY visitor',
      )
      expect(keys).toEqual(['ann', 'ben', 'cy', 'eve'].map((visitor) => ({ visitor, key: md5Key(visitor) })))
      // A page view's key is its messageId's, on the compacted days (m1-m4) as in the file (m7); a report's is that
      // of the page view it names (m8), else its own (m9); any other line has none (m5, a sign-up).
      const views = await db.all<{ messageId: string; key: string | null }>(
        'SELECT messageId, view_key::VARCHAR AS key FROM events ORDER BY messageId',
      )
      expect(views).toEqual([
        ...['m1', 'm2', 'm3', 'm4'].map((messageId) => ({ messageId, key: md5Key(messageId) })),
        { messageId: 'm5', key: null },
        { messageId: 'm7', key: md5Key('m7') },
        { messageId: 'm8', key: md5Key('m7') },
        { messageId: 'm9', key: md5Key('m9') },
      ])
    } finally {
      db.close()
    }
  })

  it('keep a day by kind of event, then time, in row groups small enough for a panel to skip the kinds it does not read, its first and last time noted', async () => {
    const dataDir = await tempDir()
    // Page views, orders and sign-ups interleaved in time, as a shop's traffic arrives.
    const kinds = [{ path: '/' }, { event: 'Order Completed' }, { event: 'Signed Up' }, { path: '/cart' }]
    const lines = Array.from({ length: 20_000 }, (_, i) => {
      const at = new Date(Date.parse('2026-03-01T10:00:00.000Z') + i * 1000).toISOString()
      return eventLine(`k${i}`, at, { anonymousId: `v${i % 500}`, ...kinds[i % kinds.length] })
    })
    await writeDataFile(dataDir, '2026-03-01T10:00:00.000Z', lines)
    const fromFiles = await buildReport({ dataDir, ...range })
    await compactDays({ dataDir })
    const manifest = JSON.parse(await readFile(join(dataDir, 'compacted/dt=2026-03-01.json'), 'utf8'))
    const file = join(dataDir, 'compacted', manifest.parquet)
    // A range that holds both reads the day without testing each row's time (`load-events.ts`).
    expect(manifest.times).toEqual({ first: '2026-03-01T10:00:00.000Z', last: '2026-03-01T15:33:19.000Z' })
    const db = await openDb()
    try {
      const [order] = await db.all<{ rows: number; sorted: boolean }>(
        `SELECT count(*) AS rows,
                bool_and(prev IS NULL OR (prev_type, prev_event, prev_at) <= (type, coalesce(event, '~'), timestamp)) AS sorted
         FROM (SELECT type, event, timestamp,
                      lag(messageId) OVER w AS prev, lag(type) OVER w AS prev_type,
                      lag(coalesce(event, '~')) OVER w AS prev_event, lag(timestamp) OVER w AS prev_at
               FROM read_parquet('${file}', file_row_number = true) WINDOW w AS (ORDER BY file_row_number))`,
      )
      expect(order).toEqual({ rows: 20_000, sorted: true })
      // The row groups' ranges of event names follow each other without overlapping: a query of one kind reads
      // only the groups whose range holds it.
      const groups = await db.all<{ min: string; max: string; rows: number }>(
        `SELECT stats_min_value AS min, stats_max_value AS max, num_values AS rows FROM parquet_metadata('${file}')
         WHERE path_in_schema = 'event' ORDER BY row_group_id`,
      )
      expect(groups.length).toBeGreaterThan(1)
      expect(groups.every((group) => group.rows <= 16_384)).toBe(true)
      expect(groups.slice(1).every((group, i) => groups[i]!.max <= group.min)).toBe(true)
      // LZ4: every view decompresses what it reads again, and zstd's decompression was a tenth of a report's CPU.
      const codecs = await db.all<{ codec: string }>(
        `SELECT DISTINCT compression AS codec FROM parquet_metadata('${file}')`,
      )
      expect(codecs).toEqual([{ codec: 'LZ4_RAW' }])
    } finally {
      db.close()
    }
    expect((await buildReport({ dataDir, ...range })).html).toBe(fromFiles.html)
  }, 60_000)

  it("keep a line's context only on the rows the email section reads whole, and give the same report", async () => {
    const dataDir = await twoDays()
    const landing = JSON.parse(eventLine('e2', '2026-03-01T12:01:00.000Z', { anonymousId: 'dee', path: '/' }))
    landing.context.page.search = '?spoor_c=click-1'
    await writeDataFile(dataDir, '2026-03-01T12:00:00.000Z', [
      eventLine('e1', '2026-03-01T12:00:00.000Z', { anonymousId: 'dee', event: 'Email Opened' }),
      JSON.stringify(landing),
      eventLine('e3', '2026-03-01T12:05:00.000Z', { anonymousId: 'dee', event: 'Order Completed' }),
      eventLine('e4', '2026-03-01T12:06:00.000Z', { anonymousId: 'dee', path: '/thanks' }),
    ])
    const fromFiles = await buildReport({ dataDir, ...range })
    await compactDays({ dataDir })
    const manifest = JSON.parse(await readFile(join(dataDir, 'compacted/dt=2026-03-01.json'), 'utf8'))
    const db = await openDb()
    try {
      const rows = await db.all<{ messageId: string; page: string | null }>(
        `SELECT messageId, context->>'$.page.path' AS page
         FROM read_parquet('${join(dataDir, 'compacted', manifest.parquet)}') ORDER BY messageId`,
      )
      expect(rows.map((row) => [row.messageId, row.page])).toEqual([
        ['e1', '/'],
        ['e2', '/'],
        ['e3', '/'],
        ['e4', null],
        ['m1', null],
        ['m2', null],
        ['m3', null],
      ])
    } finally {
      db.close()
    }
    expect((await buildReport({ dataDir, ...range })).html).toBe(fromFiles.html)
  })

  it('hold no retry whose first copy an earlier day holds, and are deduplicated by the report while an earlier day changed under them', async () => {
    const dataDir = await tempDir()
    // The browser retried m1 the next morning (its first answer was lost): same event, a later arrival.
    const first = eventLine('m1', '2026-03-01T10:00:00.000Z', { anonymousId: 'ann', path: '/' })
    const retried = (line: string, receivedAt: string) => JSON.stringify({ ...JSON.parse(line), receivedAt })
    await writeDataFile(dataDir, '2026-03-01T10:00:00.000Z', [first])
    const m5 = eventLine('m5', '2026-03-01T22:59:00.000Z', { anonymousId: 'ben', path: '/late' })
    await writeDataFile(dataDir, '2026-03-02T09:00:00.000Z', [
      retried(first, '2026-03-02T09:00:00.000Z'),
      eventLine('m4', '2026-03-02T09:00:00.000Z', { anonymousId: 'cy', path: '/' }),
      retried(m5, '2026-03-02T09:00:00.000Z'),
    ])
    const fromFiles = await buildReport({ dataDir, ...range })
    expect(fromFiles.events).toBe(3)
    const compacted = await compactDays({ dataDir })
    expect(compacted.compacted.map((d) => [d.day, d.events])).toEqual([
      ['2026-03-01', 1],
      ['2026-03-02', 2],
    ])
    expect((await planSources(dataDir, range.from, range.to)).parquetToDedupe).toEqual([])
    expect((await buildReport({ dataDir, ...range })).html).toBe(fromFiles.html)

    // m5's first copy turns up in a file of 03-01 published late (a restart published it): 03-01's files changed,
    // so they are read, and deduplicated against 03-02's Parquet file.
    await writeDataFile(dataDir, '2026-03-01T22:00:00.000Z', [m5])
    const withLate = await buildReport({ dataDir, ...range })
    expect(withLate.events).toBe(3)
    // 03-01 compacted again alone (a run stopped after it): 03-02's file was deduplicated against its old file.
    await compactDays({ dataDir, days: ['2026-03-01'] })
    const halfway = await planSources(dataDir, range.from, range.to)
    expect(halfway.parquetToDedupe).toEqual([expect.stringContaining('dt=2026-03-02.')])
    expect((await buildReport({ dataDir, ...range })).html).toBe(withLate.html)
    // The next run writes 03-02 again, without m5's later copy.
    const next = await compactDays({ dataDir })
    expect(next.compacted.map((d) => [d.day, d.events])).toEqual([['2026-03-02', 1]])
    expect((await planSources(dataDir, range.from, range.to)).parquetToDedupe).toEqual([])
    expect((await buildReport({ dataDir, ...range })).html).toBe(withLate.html)
  })

  it("hold the cart decisions due by their day's end, so that the report decides only from where those stop", async () => {
    const dataDir = await tempDir()
    const cart = {
      cart_id: 'c1',
      products: [{ product_id: 'tea', price: 12.5, quantity: 1 }],
      value: 12.5,
      currency: 'EUR',
    }
    const added = {
      ...JSON.parse(eventLine('a1', '2026-03-01T10:00:00.000Z', { anonymousId: 'ann', event: 'Product Added' })),
    }
    await writeDataFile(dataDir, '2026-03-01T10:00:00.000Z', [
      eventLine('p1', '2026-03-01T09:59:00.000Z', { anonymousId: 'ann', path: '/tea' }),
      JSON.stringify({ ...added, properties: cart }),
    ])
    // Ann comes back the next morning: the first line of hers since her cart's deadline.
    await writeDataFile(dataDir, '2026-03-02T09:00:00.000Z', [
      eventLine('p2', '2026-03-02T09:00:00.000Z', { anonymousId: 'ann', path: '/' }),
    ])
    await writeDataFile(dataDir, '2026-03-03T09:00:00.000Z', [
      eventLine('p3', '2026-03-03T09:00:00.000Z', { anonymousId: 'cy', path: '/' }),
    ])
    const fromFiles = await buildReport({ dataDir, ...range })
    expect(fromFiles.sections.find((s) => s.id === 'carts')!.html).toContain('12.50')
    const carts = { windowMs: 60 * 60_000, recoverWithinMs: 24 * 60 * 60_000 }

    // Compacted as the report's clock stands: the abandonment, due at 11:00, was decided when her next line came,
    // the next morning, and is in that day's Parquet file; 03-01's manifest had it pending until then.
    await compactDays({ dataDir, now })
    const db = await openDb()
    try {
      const folder = join(dataDir, 'compacted')
      const rows = await db.all<{ event: string; timestamp: Date; receivedAt: Date }>(
        `SELECT event, timestamp, receivedAt FROM read_parquet('${join(folder, '*.parquet')}') WHERE event = 'Cart Abandoned'`,
      )
      expect(rows.map((r) => [r.event, r.timestamp.toISOString(), r.receivedAt.toISOString()])).toEqual([
        ['Cart Abandoned', '2026-03-01T11:00:00.000Z', '2026-03-02T09:00:00.000Z'],
      ])
    } finally {
      db.close()
    }
    const manifest = JSON.parse(await readFile(join(dataDir, 'compacted/dt=2026-03-01.json'), 'utf8'))
    expect(manifest.carts).toMatchObject({
      decidedUntil: '2026-03-02T00:00:00.000Z',
      pendingFrom: '2026-03-01T11:00:00.000Z',
    })
    const plan = await planDays(dataDir, range.from, now)
    expect(cartsUndecidedFrom(plan, range.from, now, carts)).toEqual(now)
    expect((await buildReport({ dataDir, ...range })).html).toBe(fromFiles.html)

    // Compacted at 10:30, before it was due: the report's batch run decides it, once.
    await rm(join(dataDir, 'compacted'), { recursive: true })
    await compactDays({ dataDir, now: new Date('2026-03-01T10:30:00.000Z') })
    const early = await planDays(dataDir, range.from, now)
    expect(cartsUndecidedFrom(early, range.from, now, carts)).toEqual(new Date('2026-03-01T10:30:00.000Z'))
    expect((await buildReport({ dataDir, ...range })).html).toBe(fromFiles.html)
  })

  it("decide a cart left pending at midnight as the files do, on a line the day's own replay did not read", async () => {
    const dataDir = await tempDir()
    const withCart = (line: string) =>
      JSON.stringify({
        ...JSON.parse(line),
        properties: {
          cart_id: `c-${JSON.parse(line).anonymousId}`,
          products: [{ product_id: 'tea', price: 5, quantity: 1 }],
          value: 5,
          currency: 'EUR',
        },
      })
    // Ann's cart is due at 23:56. Ben's page at 23:58 is the next line, but ben only fills a cart after midnight: the
    // day's own replay, which reads the lines of visitors with a cart, does not see his page.
    await writeDataFile(dataDir, '2026-03-01T22:00:00.000Z', [
      withCart(eventLine('a1', '2026-03-01T22:56:00.000Z', { anonymousId: 'ann', event: 'Product Added' })),
    ])
    await writeDataFile(dataDir, '2026-03-01T23:00:00.000Z', [
      eventLine('b1', '2026-03-01T23:58:00.000Z', { anonymousId: 'ben', path: '/' }),
    ])
    await writeDataFile(dataDir, '2026-03-02T00:00:00.000Z', [
      withCart(eventLine('b2', '2026-03-02T00:10:00.000Z', { anonymousId: 'ben', event: 'Product Added' })),
    ])
    const fromFiles = await buildReport({ dataDir, ...range })
    expect(fromFiles.sections.find((s) => s.id === 'carts')!.html).toContain('2026-03-01 23:56')
    await compactDays({ dataDir, now })
    expect((await buildReport({ dataDir, ...range })).html).toBe(fromFiles.html)
  })

  it('are read beside the files not compacted yet, and beside the file still being written, its unfinished line skipped', async () => {
    const dataDir = await twoDays()
    await compactDays({ dataDir })
    // Published after the compaction, and still being written: the report right after browsing shows both.
    await writeDataFile(dataDir, '2026-03-03T10:00:00.000Z', [
      eventLine('m7', '2026-03-03T10:00:00.000Z', { anonymousId: 'eve', path: '/after-compaction' }),
    ])
    const open = await writeDataFile(
      dataDir,
      '2026-03-03T11:59:00.000Z',
      [eventLine('m8', '2026-03-03T11:59:00.000Z', { anonymousId: 'fay', path: '/this-minute' })],
      true,
    )
    await appendFile(open, eventLine('m9', '2026-03-03T11:59:30.000Z', { anonymousId: 'fay' }).slice(0, 40))
    const report = await buildReport({ dataDir, ...range })
    expect(report.events).toBe(7)
    expect(report.unreadable).toBe(0)
    const pages = report.sections.find((s) => s.id === 'top-pages')!.html
    expect(pages).toContain('/after-compaction')
    expect(pages).toContain('/this-minute')
    // A compacted day whose file changed under it (here: grew, written anew and renamed over it, as spoor rewrites a
    // published file) is read from its files until compacted again.
    const grown = join(dataDir, 'events/dt=2026-03-02/hour=09/20260302T090000000Z-000001-0test000.ndjson')
    const line = eventLine('m10', '2026-03-02T09:05:00.000Z', { anonymousId: 'cy', path: '/changed' })
    await writeFile(`${grown}.new`, `${await readFile(grown, 'utf8')}${line}\n`)
    await rename(`${grown}.new`, grown)
    const changed = await buildReport({ dataDir, ...range })
    expect(changed.events).toBe(8)
    expect(changed.sections.find((s) => s.id === 'top-pages')!.html).toContain('/changed')
  })

  it("keep the collector's line of a cart decision over the batch run's copy that arrived with it, as the files do", async () => {
    const dataDir = await tempDir()
    // The collector decided at 10:30 and wrote it when the next line came, at 11:00; the report's batch run, with a
    // longer window, makes the same messageId with a later timestamp, due at that same line.
    const written = {
      ...JSON.parse(eventLine('decided', '2026-03-01T10:30:00.000Z', { anonymousId: 'ann', event: 'Cart Abandoned' })),
      receivedAt: '2026-03-01T11:00:00.000Z',
    }
    await writeDataFile(dataDir, '2026-03-01T11:00:00.000Z', [JSON.stringify(written)])
    const batchCopy = { ...written, timestamp: '2026-03-01T11:00:00.000Z' }
    const loadedTimestamp = async () => {
      const db = await openDb()
      try {
        const sources = await planSources(dataDir, range.from, range.to)
        await loadEvents(db, { files: sources.ndjson, parquet: sources.parquet, derived: [batchCopy], ...range })
        const rows = await db.all<{ timestamp: Date }>(`SELECT timestamp FROM events WHERE messageId = 'decided'`)
        return rows.map((row) => row.timestamp.toISOString())
      } finally {
        db.close()
      }
    }
    expect(await loadedTimestamp()).toEqual([written.timestamp])
    await compactDays({ dataDir })
    expect(await loadedTimestamp()).toEqual([written.timestamp])
  })

  it("are trusted without a look at each file while the day's folders keep their times, and not once a file is renamed over", async () => {
    const dataDir = await twoDays()
    const day = join(dataDir, 'events', 'dt=2026-03-01')
    // The day's folders last changed an hour before (as a past day's did), so that a change now surely moves their
    // times, whatever the file system's resolution.
    const anHourAgo = new Date(Date.now() - 3_600_000)
    for (const folder of [day, join(day, 'hour=10'), join(day, 'hour=11')]) await utimes(folder, anHourAgo, anHourAgo)
    await compactDays({ dataDir })
    const compacted = async () =>
      (await planDays(dataDir, range.from, range.to)).find((plan) => plan.day === '2026-03-01')?.parquet !== undefined
    expect(await compacted()).toBe(true)

    // Appended to in place, which nothing of spoor does to a published file, a file is not looked at: the folders
    // say nothing changed. That is the whole of what the day's plan reads.
    const [file] = await readdir(join(day, 'hour=10'))
    const path = join(day, 'hour=10', file!)
    await appendFile(path, `${eventLine('m7', '2026-03-01T10:02:00.000Z', { anonymousId: 'ann', path: '/x' })}\n`)
    expect(await compacted()).toBe(true)
    // Nor does compacting again look at it: the day is unchanged.
    expect((await compactDays({ dataDir })).unchanged).toContain('2026-03-01')
    // Without the folders' times (a day compacted before they were kept), each file is looked at.
    const manifestFile = join(dataDir, 'compacted', 'dt=2026-03-01.json')
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'))
    expect(Object.keys(manifest.folders)).toEqual(['dt=2026-03-01', 'dt=2026-03-01/hour=10', 'dt=2026-03-01/hour=11'])
    await writeFile(manifestFile, JSON.stringify({ ...manifest, folders: undefined }))
    expect(await compacted()).toBe(false)
    await writeFile(manifestFile, JSON.stringify(manifest))
    expect(await compacted()).toBe(true)

    // Rewritten the way erasure and the collector write a file, under another name then renamed over it: its folder
    // changed, so each file is looked at, and the day is read from its files.
    await writeFile(`${path}.erasing`, await readFile(path))
    await rename(`${path}.erasing`, path)
    expect(await compacted()).toBe(false)
    // Compacting again looks at each file, and writes the day anew with the line appended.
    const again = await compactDays({ dataDir })
    expect(again.compacted.map((written) => written.day)).toContain('2026-03-01')
    expect(await compacted()).toBe(true)
    const plan = (await planDays(dataDir, range.from, range.to)).find((p) => p.day === '2026-03-01')!
    const db = await openDb()
    try {
      const [row] = await db.all<{ n: number }>(
        `SELECT count(*) AS n FROM read_parquet('${plan.parquet}') WHERE messageId = 'm7'`,
      )
      expect(row?.n).toBe(1)
    } finally {
      db.close()
    }
  })
})
