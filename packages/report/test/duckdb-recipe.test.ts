import { readFile } from 'node:fs/promises'
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import type { EventLine } from '@spoor/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { docBlock, repoRoot, sqlStatements } from '../../../test/support/doc-block.js'
import { readLines } from '../../../test/support/helpers.js'
import { runSpoor } from '../../../test/support/run-cli.js'
import { cartWindow, type ShopData, shopKey, storyEnd, writeShopData } from '../../../test/support/shop-data.js'

// The DuckDB recipes of docs/ndjson.md over the shop's afternoon with its retries (the browser session of
// test/e2e/report-shop-session.test.ts runs them too, over what real browsers sent).
let shop: ShopData
let lines: EventLine[]
let connection: DuckDBConnection

const rows = async (sql: string) =>
  (await connection.runAndReadAll(sql))
    .getRowObjectsJS()
    .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])))

beforeAll(async () => {
  shop = await writeShopData()
  lines = await readLines<EventLine>(shop.dataDir)
  connection = await (await DuckDBInstance.create(':memory:')).connect()
  // The recipe reads data/events/… from the working folder, as a reader runs it there.
  for (const statement of sqlStatements(await docBlock('docs/ndjson.md', 'test:duckdb-load'))) {
    await connection.run(statement.replaceAll("'data/events/", `'${shop.dataDir}/events/`))
  }
}, 60_000)

afterAll(() => connection?.closeSync())

describe('the DuckDB recipe of docs/ndjson.md', () => {
  it('loads one row per messageId, the first arrival of each', async () => {
    const first = new Map<string, EventLine>()
    for (const line of lines) if (!first.has(line.messageId)) first.set(line.messageId, line)
    expect(lines.length - first.size).toBe(shop.duplicates)
    const loaded = await rows(
      `SELECT messageId, strftime(receivedAt, '%Y-%m-%dT%H:%M:%S.%gZ') AS receivedAt FROM events`,
    )
    expect(new Map(loaded.map((r) => [r.messageId, r.receivedAt]))).toEqual(
      new Map([...first].map(([id, l]) => [id, l.receivedAt])),
    )
  })

  it('answers its four questions from those rows', async () => {
    const unique = [...new Map(lines.map((l) => [l.messageId, l] as const).reverse()).values()]
    const [byEvent, perDay, orders, email] = await Promise.all(
      sqlStatements(await docBlock('docs/ndjson.md', 'test:duckdb-queries')).map(rows),
    )
    const counted = new Map<string, number>()
    for (const e of unique) counted.set(`${e.type}/${e.event}`, (counted.get(`${e.type}/${e.event}`) ?? 0) + 1)
    expect(new Map(byEvent!.map((r) => [`${r.type}/${r.event}`, r.n]))).toEqual(counted)
    const pages = unique.filter((e) => e.type === 'page')
    expect(perDay).toEqual([
      { day: expect.anything(), page_views: pages.length, visitors: new Set(pages.map((e) => e.anonymousId)).size },
    ])
    const completed = unique.filter((e) => e.event === 'Order Completed')
    const revenue = completed.reduce((sum, e) => sum + (e.properties.value as number), 0)
    expect(orders).toEqual([
      { currency: 'EUR', orders: completed.length, revenue, average_order: revenue / completed.length },
    ])
    expect(email).toEqual([])
  })

  it('finds with abandoned-carts.duckdb.sql the carts `spoor carts` finds, under the same messageIds', async () => {
    const batch = await runSpoor(['carts', shop.dataDir, '--window', cartWindow, '--now', storyEnd, '--site', shopKey])
    expect(batch.code).toBe(0)
    const decided = batch.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as EventLine)
    const abandoned = decided.filter((e) => e.event === 'Cart Abandoned')

    const recipe = await readFile(new URL('docs/sql/abandoned-carts.duckdb.sql', repoRoot), 'utf8')
    const sql = recipe
      .replace(
        /^SET VARIABLE cart_window = .*;$/m,
        `SET VARIABLE cart_window = INTERVAL ${parseInt(cartWindow, 10)} MINUTE;`,
      )
      .replace(/^SET VARIABLE as_of = .*;$/m, `SET VARIABLE as_of = TIMESTAMPTZ '${storyEnd}';`)
    expect(sql).toContain(`SET VARIABLE as_of = TIMESTAMPTZ '${storyEnd}';`)
    const statements = sqlStatements(sql)
    for (const statement of statements.slice(0, -1)) await connection.run(statement)
    const carts = await rows(statements.at(-1)!)
    expect(carts.map((c) => c.messageId).sort()).toEqual(abandoned.map((e) => e.messageId).sort())
    expect(carts.map((c) => c.cart_id ?? null).sort()).toEqual([...shop.abandoned].sort())
    for (const cart of carts) {
      const event = abandoned.find((e) => e.messageId === cart.messageId)!
      expect([cart.anonymousId, cart.userId, cart.value, cart.currency, cart.campaign ?? null]).toEqual([
        event.anonymousId,
        event.userId,
        event.properties.value,
        event.properties.currency,
        (event.properties.campaign as { name?: string } | undefined)?.name ?? null,
      ])
    }
    const recovered = decided.filter((e) => e.event === 'Cart Recovered')
    expect(carts.filter((c) => c.recovered_by_order).map((c) => [c.cart_id, c.recovered_by_order])).toEqual(
      recovered.map((e) => [e.properties.cart_id, e.properties.order_id]),
    )
  }, 30_000)
})
