import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DataFile } from '@spoor/log'
import { collectorLibrary } from '@spoor/protocol'
import { fewFiles } from './compaction/concat-files.js'
import { readingOversizedLines } from './compaction/oversized-lines.js'
import { readableLine, sqlList, sqlString } from './compaction/sql.js'
import type { Db } from './duckdb.js'
import { duckDbColumns } from './loaders/duckdb-columns.js'
import { lineColumns, withExtractedColumns } from './loaders/extracted-columns.js'

// The events that open or change a cart: a visitor without any cannot have one to abandon.
const cartEvents = ['Product Added', 'Product Removed', 'Cart Viewed', 'Checkout Started']
// The events whose properties the detector reads whole: cart snapshots, orders, and decisions already written.
const wholeProperties = [...cartEvents, 'Order Completed', 'Cart Abandoned', 'Cart Recovered']

// Of every other line the detector reads only who, when, a bot flag, an email, a campaign and whose decision it is: each line is cut down
// to those, which makes the file it parses a fraction of the history's bytes. The context's three come from the
// extracted columns, so the history never decodes a line's whole context.
const slimLine = `
  CASE WHEN event IN (${sqlList(wholeProperties)}) THEN properties
       WHEN (properties->'$.email') IS NOT NULL THEN json_object('email', properties->'$.email')
       ELSE '{}'::JSON END AS properties,
  json_object('email', traits->'$.email') AS traits`
// The library only where it names the collector: the detector takes a decision as written only from its lines.
const slimContext = `json_object('bot', ctx_bot = 'true', 'traits', json_object('email', ctx_traits_email),
  'campaign', try_cast(ctx_campaign AS JSON),
  'library', CASE WHEN ctx_library_name = ${sqlString(collectorLibrary)} THEN json_object('name', ctx_library_name) END)
  AS context`
const contextColumns = ['ctx_bot', 'ctx_traits_email', 'ctx_campaign', 'ctx_library_name']

/**
 * Writes, as one NDJSON file in arrival order, the lines the cart detector needs from a history: every line of the
 * visitors (anonymous or user id) who sent a cart event in it, and of the ids a line links to theirs, and nothing of
 * the others, whose lines cannot open, keep or close a cart; each cut down to the fields the detector reads. Read
 * through DuckDB, from the compacted days and the NDJSON files alike, so the batch run parses a few percent of the
 * lines instead of all of them.
 *
 * A run resumed from a checkpoint passes the visitors it holds carts of (`known`): their lines are needed too, though
 * the history may hold no cart event of theirs.
 *
 * @returns the file, listed as the detector reads files
 */
export async function writeCartHistory(
  db: Db,
  sources: { parquet: string[]; ndjson: DataFile[] },
  scratch: string,
  known: { anonymousId: string | null; userId: string | null }[] = [],
): Promise<DataFile> {
  const path = join(scratch, 'cart-history.ndjson')
  // An empty file keeps the list non-empty when every day is compacted.
  await writeFile(join(scratch, 'empty.ndjson'), '')
  const published = sources.ndjson.filter((file) => !file.open).map((file) => file.path)
  const ndjson = await fewFiles(published, scratch, 'cart-lines.ndjson')
  const withoutContext = [...lineColumns().filter((column) => column !== 'context'), ...contextColumns].join(', ')
  const selects = (files: string[]) => [
    `SELECT ${withoutContext} FROM (${withExtractedColumns(
      `SELECT * FROM read_json([${sqlList(files)}],
         format = 'newline_delimited', columns = ${duckDbColumns()}, ignore_errors = true) WHERE ${readableLine}`,
    )})`,
    ...(sources.parquet.length ? [`SELECT ${withoutContext} FROM read_parquet([${sqlList(sources.parquet)}])`] : []),
  ]
  const knownPath = join(scratch, 'known-visitors.ndjson')
  if (known.length) await writeFile(knownPath, known.map((ids) => JSON.stringify(ids) + '\n').join(''))
  const knownCarts = known.length
    ? `UNION SELECT anonymousId, userId FROM read_json(${sqlString(knownPath)}, format = 'newline_delimited',
         columns = {anonymousId: 'VARCHAR', userId: 'VARCHAR'})`
    : ''
  const iso = (column: string) => `strftime(${column}, '%Y-%m-%dT%H:%M:%S.%gZ') AS ${column}`
  // A line too long for read_json to read at all is left out: the report and compaction count it where they read
  // the same files.
  await readingOversizedLines([join(scratch, 'empty.ndjson'), ...ndjson], scratch, async (files) => {
    await db.run(`CREATE OR REPLACE TEMP VIEW cart_history AS ${selects(files).join(' UNION ALL BY NAME ')}`)
    await db.run(
      `COPY (
       WITH carts AS (SELECT DISTINCT anonymousId, userId FROM cart_history WHERE type = 'track' AND event IN (${sqlList(cartEvents)})
                      ${knownCarts}),
       -- A cart's person may order from a backend that knows only their user id: the ids any line links to them.
       linked AS (
         SELECT anonymousId, userId FROM carts
         UNION SELECT anonymousId, userId FROM cart_history
         WHERE userId IS NOT NULL AND anonymousId IS NOT NULL
           AND (anonymousId IN (SELECT anonymousId FROM carts) OR userId IN (SELECT userId FROM carts))
       )
       SELECT * EXCLUDE (${contextColumns.join(', ')})
                REPLACE (${['originalTimestamp', 'sentAt', 'receivedAt', 'timestamp'].map(iso).join(', ')}, ${slimLine}),
              ${slimContext}
       FROM cart_history
       WHERE anonymousId IN (SELECT anonymousId FROM linked) OR userId IN (SELECT userId FROM linked)
       ORDER BY cart_history.receivedAt
     ) TO ${sqlString(path)} (FORMAT json)`,
    )
  })
  await db.run('DROP VIEW cart_history')
  return { path, partition: 'dt=0000-00-00/hour=00', hour: new Date(0), open: false }
}
