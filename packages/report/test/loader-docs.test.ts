import { readFile, writeFile } from 'node:fs/promises'
import { bigQuerySchema, clickHouseTable, clickHouseVersionColumn, fieldTable, schemaFields } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { duckDbColumns } from '../src/loaders/duckdb-columns.js'

const docs = new URL('../../../docs/', import.meta.url)
const update = process.env.UPDATE_DOCS === '1'

/** What docs/ndjson.md and docs/bigquery-schema.json must hold, given the text of ndjson.md. */
function generated(markdown: string) {
  const between = (name: string, body: string) =>
    markdown.replace(
      new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(<!-- /generated:${name} -->)`),
      `$1${body}\n$2`,
    )
  let text = between('fields', fieldTable())
  text = text.replace(
    /(columns = )\{[\s\S]*?\}(\)\nQUALIFY)/,
    `$1${duckDbColumns({ indent: '  ' }).replaceAll('$', '$$$$')}$2`,
  )
  const withTable = text.replace(
    /(<!-- generated:clickhouse -->\n)[\s\S]*?(<!-- \/generated:clickhouse -->)/,
    () => `<!-- generated:clickhouse -->\n\`\`\`sql\n${clickHouseTable()}\n\`\`\`\n<!-- /generated:clickhouse -->`,
  )
  return { markdown: withTable, bigquery: JSON.stringify(bigQuerySchema(), null, 2) + '\n' }
}

describe('the loader documentation', () => {
  it('holds the field table, the DuckDB columns, the ClickHouse table and the BigQuery schema generated from the JSON Schema', async () => {
    const markdown = await readFile(new URL('ndjson.md', docs), 'utf8')
    const expected = generated(markdown)
    if (update) {
      await writeFile(new URL('ndjson.md', docs), expected.markdown)
      await writeFile(new URL('bigquery-schema.json', docs), expected.bigquery)
    }
    expect(await readFile(new URL('ndjson.md', docs), 'utf8')).toBe(expected.markdown)
    expect(await readFile(new URL('bigquery-schema.json', docs), 'utf8')).toBe(expected.bigquery)
  })

  it('names every field of the schema, in the same order, in each loader', async () => {
    const names = schemaFields().map((f) => f.name)
    const bigquery = JSON.parse(await readFile(new URL('bigquery-schema.json', docs), 'utf8')) as { name: string }[]
    expect(bigquery.map((f) => f.name)).toEqual(names)
    const markdown = await readFile(new URL('ndjson.md', docs), 'utf8')
    const table = /CREATE TABLE spoor_events\n\(([\s\S]*?)\n\)/.exec(markdown)![1]!
    expect([...table.matchAll(/`(\w+)`/g)].map((m) => m[1])).toEqual([...names, clickHouseVersionColumn.name])
    const columns = /columns = \{([\s\S]*?)\}\)/.exec(markdown)![1]!
    expect([...columns.matchAll(/(\w+): '/g)].map((m) => m[1])).toEqual(names)
    expect(markdown.match(/^\| `(\w+)` \|/gm)!.map((row) => row.slice(3, -3))).toEqual(names)
  })
})
