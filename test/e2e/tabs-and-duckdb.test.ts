import { readFile } from 'node:fs/promises'
import { DuckDBInstance } from '@duckdb/node-api'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { readEvents, waitForEvents } from '../support/events.js'

const suite = useBrowserSuite()

describe('two tabs of one site', () => {
  it('share one IndexedDB queue and never send the same event twice', async () => {
    const context = await suite.browser.newContext()
    const tabs = await Promise.all([context.newPage(), context.newPage()])
    await Promise.all(tabs.map((tab, i) => tab.goto(`${suite.site.url}/index.html?tab=${i}`)))
    await Promise.all(
      tabs.map((tab, i) =>
        tab.evaluate(async (n) => {
          for (let j = 0; j < 30; j++) {
            ;(window as any).spoor('track', 'Tab Event', { tab: n, j })
            await new Promise((resolve) => setTimeout(resolve, 20))
          }
        }, i),
      ),
    )
    const events = await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Tab Event', { count: 60 })
    expect(new Set(events.map((e) => `${e.properties.tab}/${e.properties.j}`)).size).toBe(60)

    // Count, per event, the requests that carried it: the collector's dedupe must not be what saves us.
    const carried = new Map<string, number>()
    for (const request of suite.collector.requests.filter((r) => r.path === '/v1/batch')) {
      for (const event of JSON.parse(request.body).batch)
        carried.set(event.messageId, (carried.get(event.messageId) ?? 0) + 1)
    }
    expect(events.every((e) => carried.get(e.messageId) === 1)).toBe(true)
    await context.close()
  })
})

describe('the NDJSON files', () => {
  it('load into DuckDB with read_json_auto, every line counted', async () => {
    const context = await suite.browser.newContext()
    const page = await context.newPage()
    await page.goto(suite.site.url + '/index.html?duckdb')
    await page.click('#buy')
    await page.evaluate(() => (window as any).spoor('identify', 'duck-user', { email: 'duck@example.com' }))
    await waitForEvents(suite.collector.dataDir, (e) => e.userId === 'duck-user' && e.type === 'identify')
    await context.close()

    const lines = await readEvents(suite.collector.dataDir)
    const instance = await DuckDBInstance.create(':memory:')
    const connection = await instance.connect()
    const glob = `${suite.collector.dataDir}/events/**/*.ndjson`
    const reader = await connection.runAndReadAll(
      `select type, count(*)::integer as n from read_json_auto('${glob}', hive_partitioning = true) group by type order by type`,
    )
    const byType = Object.fromEntries(reader.getRowObjects().map((row) => [row.type, row.n]))
    const expected: Record<string, number> = {}
    for (const line of lines) expected[line.type] = (expected[line.type] ?? 0) + 1
    expect(byType).toEqual(expected)
    const order = await connection.runAndReadAll(
      // field_appearance_threshold = 0: properties stay a STRUCT however varied the events (clicks bring many keys
      // that few events have, and DuckDB would otherwise fall back to a MAP of JSON values).
      `select properties.order_id as order_id, properties.total as total, context.page.search as search, dt
       from read_json_auto('${glob}', hive_partitioning = true, field_appearance_threshold = 0)
       where event = 'Order Completed' and context.page.search = '?duckdb'`,
    )
    expect(order.getRowObjects()).toEqual([{ order_id: 'o-1', total: 30n, search: '?duckdb', dt: expect.anything() }])
    connection.closeSync()
  })

  it("load with the README's three DuckDB lines, deduplicated by messageId", async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8')
    const block = /<!-- duckdb-quickstart -->\s*```sql\n([\s\S]*?)```/.exec(readme)![1]!
    const statements = block
      .replaceAll('data/events/', `${suite.collector.dataDir}/events/`)
      .split(';\n')
      .filter((s) => s.trim())
    expect(statements).toHaveLength(3)
    const connection = await (await DuckDBInstance.create(':memory:')).connect()
    for (const statement of statements.slice(0, -1)) await connection.run(statement)
    const rows = (await connection.runAndReadAll(statements.at(-1)!)).getRowObjects()

    const unique = new Map((await readEvents(suite.collector.dataDir)).map((e) => [e.messageId, e]))
    const expected = new Map<string, number>()
    for (const e of unique.values())
      expected.set(`${e.type}/${e.event}`, (expected.get(`${e.type}/${e.event}`) ?? 0) + 1)
    expect(new Map(rows.map((r) => [`${r.type}/${r.event}`, Number(r.n)]))).toEqual(expected)
    connection.closeSync()
  })
})
