import { spawn } from 'node:child_process'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { clickHouseTable, type EventLine } from '@spoor/protocol'
import { drainPending, Session } from 'chdb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { docBlock, repoRoot } from '../../../test/support/doc-block.js'
import { readLines } from '../../../test/support/helpers.js'
import { runSpoor } from '../../../test/support/run-cli.js'
import { cartWindow, type ShopData, shopKey, storyEnd, writeShopData } from '../../../test/support/shop-data.js'

// ClickHouse itself (chDB: the server's engine inside this process), not a model of it.
let shop: ShopData
let lines: EventLine[]
let session: Session | undefined
let databaseDir: string

/** Runs one statement; the rows of a SELECT as objects. */
async function query(sql: string): Promise<Record<string, unknown>[]> {
  const text = (await session!.queryAsync(sql, { format: 'JSONEachRow' })).text()
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

/** An ISO time as ClickHouse prints a DateTime64(3, 'UTC'). */
const chTime = (iso: string) => iso.replace('T', ' ').replace('Z', '')

/** One line per messageId, its first arrival. */
const uniqueEvents = () => [...new Map(lines.map((line) => [line.messageId, line] as const).reverse()).values()]

/**
 * A `clickhouse-client` for the recipe's loop: the same contract (`--query` with an INSERT, the data on standard
 * input, exit code 1 on an error), answered by chDB over the test's database folder.
 */
async function clickhouseClient(binDir: string) {
  const chdb = createRequire(import.meta.url).resolve('chdb')
  const script = `#!${process.execPath}
const { readFileSync } = require('node:fs')
const { Session } = require(${JSON.stringify(chdb)})
const args = process.argv.slice(2)
if (args.length !== 2 || args[0] !== '--query') {
  console.error('this clickhouse-client takes --query QUERY and the data on stdin, not: ' + args.join(' '))
  process.exit(2)
}
const session = new Session(process.env.SPOOR_TEST_CLICKHOUSE_DIR)
try {
  session.query(args[1] + '\\n' + readFileSync(0, 'utf8'))
} catch (error) {
  console.error(String(error))
  process.exitCode = 1
}
session.close()
`
  await mkdir(binDir, { recursive: true })
  await writeFile(join(binDir, 'clickhouse-client'), script)
  await chmod(join(binDir, 'clickhouse-client'), 0o755)
}

function bash(script: string, options: { cwd: string; env: Record<string, string> }) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn('bash', ['-e', '-c', script], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('close', (code) => resolve({ code, stderr }))
  })
}

beforeAll(async () => {
  shop = await writeShopData()
  lines = await readLines<EventLine>(shop.dataDir)
  databaseDir = join(shop.dir, 'clickhouse')
}, 60_000)

afterAll(async () => {
  session?.close()
  await drainPending()
})

describe('the ClickHouse recipe of docs/ndjson.md, on ClickHouse', () => {
  it('creates the generated table and loads every published line with the documented loop', async () => {
    const table = await docBlock('docs/ndjson.md', 'generated:clickhouse')
    expect(table.trim()).toBe(clickHouseTable())
    session = new Session(databaseDir)
    await query(table)
    // The loop's clickhouse-client processes open the same folder: this one lets go of it meanwhile.
    session.close()
    await drainPending()

    const bin = join(shop.dir, 'bin')
    await clickhouseClient(bin)
    const loop = await docBlock('docs/ndjson.md', 'test:clickhouse-load')
    const run = await bash(loop, {
      cwd: shop.dir,
      env: { PATH: `${bin}:${process.env.PATH}`, SPOOR_TEST_CLICKHOUSE_DIR: databaseDir },
    })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)

    session = new Session(databaseDir)
    // Every line is there: the merges ReplacingMergeTree runs in the background fold repeats only within a
    // partition (a month), and the retries arrived in the next month.
    expect(await query('SELECT count() AS n FROM spoor_events')).toEqual([{ n: lines.length }])
    // Every field arrived: objects as their JSON text, times to the millisecond.
    const [row] = await query(`SELECT * FROM spoor_events WHERE event = 'Cart Viewed'`)
    const line = lines.find((l) => l.event === 'Cart Viewed')!
    expect(JSON.parse(row!.properties as string)).toEqual(line.properties)
    expect(JSON.parse(row!.context as string)).toEqual(line.context)
    expect(row!.timestamp).toBe(chTime(line.timestamp))
    expect(row!.originalTimestamp).toBe(chTime(line.originalTimestamp!))
  }, 60_000)

  it('counts each messageId once with FINAL, repeats written on purpose', async () => {
    const unique = uniqueEvents()
    expect(lines.length - unique.length).toBe(shop.duplicates)
    expect(await query('SELECT count() AS n FROM spoor_events FINAL')).toEqual([{ n: unique.length }])
    expect(await query('SELECT count() AS n, uniqExact(messageId) AS ids FROM spoor_events FINAL')).toEqual([
      { n: unique.length, ids: unique.length },
    ])
    // Of a messageId's copies, FINAL keeps the first arrival, as every recipe does.
    const repeated = [
      ...new Set(
        lines.filter((line, i) => lines.findIndex((l) => l.messageId === line.messageId) !== i).map((l) => l.messageId),
      ),
    ]
    const kept = await query(
      `SELECT messageId, receivedAt, timestamp FROM spoor_events FINAL WHERE messageId IN (${repeated.map((id) => `'${id}'`).join(', ')})`,
    )
    expect(new Map(kept.map((row) => [row.messageId, [row.receivedAt, row.timestamp]]))).toEqual(
      new Map(
        repeated
          .map((id) => lines.find((l) => l.messageId === id)!)
          .map((l) => [l.messageId, [chTime(l.receivedAt), chTime(l.timestamp)]]),
      ),
    )

    const orders = unique.filter((e) => e.event === 'Order Completed')
    expect(orders.length).toBeGreaterThan(1)
    const rows = await query(await docBlock('docs/ndjson.md', 'test:clickhouse-queries'))
    expect(rows).toEqual([
      {
        currency: 'EUR',
        orders: orders.length,
        revenue: orders.reduce((sum, e) => sum + (e.properties.value as number), 0),
      },
    ])
  })

  it('finds with abandoned-carts.clickhouse.sql the carts `spoor carts` finds, under the same messageIds', async () => {
    const asOf = storyEnd
    const batch = await runSpoor(['carts', shop.dataDir, '--window', cartWindow, '--now', asOf, '--site', shopKey])
    expect(batch.code).toBe(0)
    const decided = batch.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as EventLine)
    const abandoned = decided.filter((e) => e.event === 'Cart Abandoned')
    expect(abandoned.map((e) => e.properties.cart_id ?? null).sort()).toEqual([...shop.abandoned].sort())

    const recipe = await readFile(new URL('docs/sql/abandoned-carts.clickhouse.sql', repoRoot), 'utf8')
    const sql = set(
      set(recipe, 'cart_window', `toIntervalMinute(${parseInt(cartWindow, 10)})`),
      'as_of',
      `toDateTime64('${chTime(asOf)}', 3, 'UTC')`,
    )
    const carts = await query(sql)
    expect(carts.map((c) => c.messageId).sort()).toEqual(abandoned.map((e) => e.messageId).sort())
    for (const cart of carts) {
      const event = abandoned.find((e) => e.messageId === cart.messageId)!
      expect({
        cart_id: cart.cart_id || null,
        anonymousId: cart.anonymousId,
        userId: cart.userId,
        value: cart.value,
        currency: cart.currency,
        products: JSON.parse(cart.products as string),
        campaign: cart.campaign || null,
        last_activity: cart.last_activity,
      }).toEqual({
        cart_id: event.properties.cart_id ?? null,
        anonymousId: event.anonymousId,
        userId: event.userId,
        value: event.properties.value,
        currency: event.properties.currency,
        products: event.properties.products,
        campaign: (event.properties.campaign as { name?: string } | undefined)?.name ?? null,
        last_activity: chTime(event.properties.last_activity_at as string),
      })
    }
    const recovered = decided.filter((e) => e.event === 'Cart Recovered')
    expect(recovered.map((e) => e.properties.cart_id)).toEqual([shop.recovered])
    expect(carts.filter((c) => c.recovered_by_order).map((c) => [c.cart_id, c.recovered_by_order])).toEqual(
      recovered.map((e) => [e.properties.cart_id, e.properties.order_id]),
    )
  }, 30_000)
})

/** The recipe with one of its settings (`name AS …` at the top of its WITH) given another value. */
function set(sql: string, name: string, value: string): string {
  const pattern = new RegExp(`^(\\s*)\\S.*? AS ${name},$`, 'm')
  expect(sql, `the recipe sets ${name}`).toMatch(pattern)
  return sql.replace(pattern, `$1${value} AS ${name},`)
}
