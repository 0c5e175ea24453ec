import { cp, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createApp, parseConfig, presentsToken } from '@spoor/collector'
import { createNdjsonSink } from '@spoor/log'
import { buildReport, dashboard } from '@spoor/report'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { readLines, tempDir } from '../../../../test/support/helpers.js'
import { runSpoor } from '../../../../test/support/run-cli.js'

const token = 'a-dashboard-token-of-24-chars+'
const config = parseConfig({ sites: [{ writeKey: 'shop-key', origins: [] }], dashboard: { token } })
const page = { page: { path: '/tea', url: 'https://shop.example/tea' } }

/** A data folder with a little of everything, written by the collector itself. */
async function baseline() {
  const dataDir = await tempDir()
  const sink = createNdjsonSink({ dataDir })
  const app = createApp({ config, sink, snippetPath: '/nonexistent' })
  const batch = [
    { type: 'page', anonymousId: 'a', context: page, properties: { path: '/tea' } },
    {
      type: 'track',
      event: 'Element Clicked',
      anonymousId: 'a',
      context: page,
      properties: { x: 10, y: 20, page_width: 100, page_height: 200, text: 'Buy' },
    },
    {
      type: 'track',
      event: 'Heatmap',
      anonymousId: 'a',
      context: page,
      properties: {
        path: '/tea',
        page_width: 100,
        page_height: 100,
        grid_columns: 2,
        grid_rows: 2,
        moves: [1, 0, 0, 3],
        clicks: [[10, 20]],
      },
    },
    {
      type: 'track',
      event: 'Order Completed',
      anonymousId: 'a',
      context: page,
      properties: { order_id: 'o1', value: 12.5, currency: 'EUR', products: [{ product_id: 'p1' }] },
    },
    { type: 'identify', anonymousId: 'a', userId: 'u1', traits: { email: 'ada@example.com' } },
  ]
  const response = await app.request('/v1/batch', {
    method: 'POST',
    body: JSON.stringify({ writeKey: 'shop-key', batch }),
  })
  expect(response.status).toBe(200)
  await sink.close()
  const [first] = await readLines(dataDir)
  return { dataDir, line: first!, count: batch.length }
}

// Lines the collector no longer writes, but that files written before, by hand or by another tool may hold.
const hostile = (line: Record<string, any>): Record<string, string> => {
  const like = (change: Record<string, unknown>) => JSON.stringify({ ...line, messageId: 'hostile', ...change })
  return {
    'not JSON': '{"messageId": "x", "type": "pa',
    'a number': '1',
    'an array': '[1, 2]',
    'a five-digit year': like({ timestamp: '+012026-01-01T00:00:00.000Z' }),
    'a day that does not exist': like({ timestamp: '2026-02-30T00:00:00Z' }),
    'a heatmap grid of 20000 × 20000': like({
      type: 'track',
      event: 'Heatmap',
      properties: {
        path: '/tea',
        page_width: 100,
        page_height: 100,
        grid_columns: 20000,
        grid_rows: 20000,
        moves: [1],
        clicks: [],
      },
    }),
    'a heatmap grid of 1e30': like({
      type: 'track',
      event: 'Heatmap',
      properties: { path: '/tea', grid_columns: 1e30, grid_rows: 1e30, moves: [1] },
    }),
    'properties that are a string': like({ properties: 'x', context: [1] }),
    'an order of absurd numbers': like({
      type: 'track',
      event: 'Order Completed',
      properties: { order_id: 7, value: 1e308, products: 'none' },
    }),
    'a click far off the page': like({
      type: 'track',
      event: 'Element Clicked',
      properties: { x: -1e308, y: 'up', page_width: 0 },
    }),
    'an id that is an object': like({ anonymousId: { a: 1 }, userId: [1] }),
    'a path of 100 kB': like({ properties: { path: '/' + 'a'.repeat(100_000) } }),
  }
}

// Lines that cannot be an event at all: whatever else the report forgives, these are skipped and counted.
const notAnEvent = new Set(['not JSON', 'a number', 'an array'])

/** A copy of `base` with `lines` in a file of their own, in the hour of `receivedAt`. */
async function withLines(base: string, receivedAt: string, lines: string[]) {
  const dataDir = await tempDir()
  await cp(base, dataDir, { recursive: true })
  const partition = join(dataDir, 'events', `dt=${receivedAt.slice(0, 10)}`, `hour=${receivedAt.slice(11, 13)}`)
  await mkdir(partition, { recursive: true })
  await writeFile(join(partition, 'zz-hostile.ndjson'), lines.map((text) => text + '\n').join(''))
  return dataDir
}

describe('the report and the dashboard survive any single line', () => {
  it('skips and counts a line it cannot read, and still fills every section it could', async () => {
    const { dataDir: base, line, count } = await baseline()
    const now = new Date(Date.parse(line.receivedAt) + 60_000)
    const range = { from: new Date(now.getTime() - 3_600_000), to: new Date(now.getTime() + 3_600_000), now }
    for (const [name, text] of Object.entries(hostile(line))) {
      const dataDir = await withLines(base, line.receivedAt, [text])

      const report = await buildReport({ dataDir, ...range }).catch((error: Error) => ({
        error: `${name}: ${error.message}`,
      }))
      expect(report).not.toHaveProperty('error')
      const { events, unreadable, sections, html } = report as Awaited<ReturnType<typeof buildReport>>
      // Every line is read or skipped and counted: none is lost without a word, and none costs the others.
      expect(events + unreadable, name).toBe(count + 1)
      expect(events, name).toBeGreaterThanOrEqual(count)
      if (notAnEvent.has(name)) expect(unreadable, name).toBe(1)
      if (unreadable) expect(html, name).toContain(`data-unreadable="${unreadable}"`)
      expect(
        sections.filter((s) => s.html.includes('data-error')).map((s) => s.id),
        name,
      ).toEqual([])

      const server = new Hono().route('/', dashboard({ config, dataDir, presentsToken }))
      const query = `?from=${range.from.toISOString()}&to=${range.to.toISOString()}`
      const answer = await server.request('/dashboard' + query, { headers: { authorization: 'Bearer ' + token } })
      expect(answer.status, name).toBe(200)
    }
  }, 120_000)

  it('spoor report exits 0 with its page, and says on stderr how many lines it skipped', async () => {
    const { dataDir: base, line, count } = await baseline()
    const lines = hostile(line)
    const dataDir = await withLines(base, line.receivedAt, [lines['not JSON']!, lines['a five-digit year']!])
    const out = join(dataDir, 'report.html')
    const received = Date.parse(line.receivedAt)
    const run = await runSpoor([
      'report',
      dataDir,
      '--out',
      out,
      '--from',
      new Date(received - 3_600_000).toISOString(),
      '--to',
      new Date(received + 3_600_000).toISOString(),
    ])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain(`${count} events`)
    expect(run.stderr).toContain('skipped 2 line(s) that could not be read')
    expect(await readFile(out, 'utf8')).toContain('data-unreadable="2"')
  }, 60_000)
})
