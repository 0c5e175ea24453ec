import { appendFile, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseConfig, presentsToken } from '@spoor/collector'
import { readDayManifest } from '@spoor/log'
import { buildReport, compactDays, dashboard } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../../test/support/compacted-data.js'
import { tempDir } from '../../../../test/support/helpers.js'
import { runSpoor } from '../../../../test/support/run-cli.js'
import { copyWithoutOversizedLines } from '../../src/compaction/oversized-lines.js'

const token = 'a-dashboard-token-of-24-chars+'
const config = parseConfig({ sites: [{ writeKey: 'shop', origins: [] }], dashboard: { token } })
const at = '2026-03-01T10:00:00.000Z'
const now = new Date('2026-03-01T12:00:00.000Z')
const range = { from: new Date('2026-03-01T00:00:00.000Z'), to: now, now }

/**
 * Two page views and a cart event (which the report's cart run completes with its abandonment), then a page view
 * whose path is 40 MB: past DuckDB's largest JSON object (16 MB) wherever its buffers fall, which no collector
 * writes (an event is at most 32 KB) but a hand-made file may hold. `events` is what the report counted before
 * that line came.
 */
async function withHugeLine() {
  const dataDir = await tempDir()
  const file = await writeDataFile(dataDir, at, [
    eventLine('p1', at, { anonymousId: 'ann' }),
    eventLine('p2', at, { anonymousId: 'ben' }),
    eventLine('c1', at, {
      anonymousId: 'ann',
      event: 'Product Added',
      properties: { products: [{ product_id: 'a' }] },
    }),
  ])
  const { events, unreadable } = await buildReport({ dataDir, ...range })
  expect(unreadable).toBe(0)
  await appendFile(file, `${eventLine('huge', at, { anonymousId: 'cy', path: `/${'a'.repeat(40 * 2 ** 20)}` })}\n`)
  return { dataDir, events }
}

describe('a line larger than DuckDB reads', () => {
  it('is skipped and counted by the report and the dashboard, which show the rest', async () => {
    const { dataDir, events } = await withHugeLine()
    const report = await buildReport({ dataDir, ...range })
    expect(report.events).toBe(events)
    expect(report.unreadable).toBe(1)
    expect(report.html).toContain('data-unreadable="1"')
    const app = dashboard({ config, dataDir, presentsToken, now: () => now })
    const answer = await app.request(`/dashboard?from=2026-03-01&to=2026-03-01`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(answer.status).toBe(200)
    expect(await answer.text()).toContain('data-unreadable="1"')
  }, 60_000)

  it('is skipped and counted by compaction, and so by a report over the compacted day', async () => {
    const { dataDir, events } = await withHugeLine()
    const { compacted } = await compactDays({ dataDir, now: new Date('2026-03-03T00:00:00.000Z') })
    expect(compacted.map((day) => day.day)).toEqual(['2026-03-01'])
    expect((await readDayManifest(dataDir, '2026-03-01'))?.unreadable).toBe(1)
    const report = await buildReport({ dataDir, ...range })
    expect([report.events, report.unreadable]).toEqual([events, 1])
  }, 60_000)

  it('makes spoor report say it skipped a line, not crash', async () => {
    const { dataDir, events } = await withHugeLine()
    const out = join(dataDir, 'report.html')
    const run = await runSpoor(['report', dataDir, '--out', out, '--from', '2026-03-01', '--to', '2026-03-01'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain(`${events} events`)
    expect(run.stderr).toContain('skipped 1 line(s) that could not be read')
    expect(await readFile(out, 'utf8')).toContain('data-unreadable="1"')
  }, 60_000)
})

describe('a copy without oversized lines', () => {
  it('leaves out exactly the lines past the limit, the last one without its newline too', async () => {
    const dir = await tempDir()
    const source = join(dir, 'lines.ndjson')
    const target = join(dir, 'kept.ndjson')
    await writeFile(source, ['ok', '12345', '123456', '', 'x'.repeat(200_000), 'last', '1234567'].join('\n'))
    expect(await copyWithoutOversizedLines(source, target, 5)).toBe(3)
    expect(await readFile(target, 'utf8')).toBe('ok\n12345\n\nlast\n')
  })
})
