import { bigQuerySchema } from './bigquery-schema.js'
import { clickHouseColumns } from './clickhouse-table.js'
import { type FieldKind, schemaFields } from './schema-fields.js'

const jsonTypes: Record<FieldKind, string> = {
  string: 'string',
  'nullable string': 'string or null',
  timestamp: 'ISO-8601 UTC string',
  'nullable timestamp': 'ISO-8601 UTC string or null',
  object: 'object (`{}` when empty)',
}

const duckTypes: Record<FieldKind, string> = {
  string: 'VARCHAR',
  'nullable string': 'VARCHAR',
  timestamp: 'TIMESTAMPTZ',
  'nullable timestamp': 'TIMESTAMPTZ',
  object: 'JSON',
}

/**
 * The field-by-field table of docs/ndjson.md (Markdown), generated from the protocol's JSON Schema so that the
 * documentation cannot drift from what the collector writes.
 */
export function fieldTable(): string {
  const clickHouse = new Map(clickHouseColumns().map((c) => [c.name, c.type]))
  const bigQuery = new Map(bigQuerySchema().map((f) => [f.name, `${f.type} ${f.mode}`]))
  const rows = schemaFields().map(
    ({ name, kind, description }) =>
      `| \`${name}\` | ${jsonTypes[kind]} | ${duckTypes[kind]} | ${clickHouse.get(name)} | ${bigQuery.get(name)} | ${description} |`,
  )
  return [
    '| field | in the file | DuckDB | ClickHouse | BigQuery | meaning |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n')
}
