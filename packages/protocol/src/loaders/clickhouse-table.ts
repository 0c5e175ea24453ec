import { type FieldKind, schemaFields } from './schema-fields.js'

const types: Record<FieldKind, string> = {
  string: 'String',
  'nullable string': 'Nullable(String)',
  timestamp: "DateTime64(3, 'UTC')",
  'nullable timestamp': "Nullable(DateTime64(3, 'UTC'))",
  // Read as the object's JSON text (input_format_json_read_objects_as_strings), queried with JSONExtract*.
  object: 'String',
}

// Columns with few distinct values are stored as dictionaries.
const lowCardinality = new Set(['type', 'event', 'writeKey'])

/** The ClickHouse type of each field of an NDJSON line, generated from the protocol's JSON Schema. */
export function clickHouseColumns(): { name: string; type: string }[] {
  return schemaFields().map(({ name, kind }) => {
    const type = types[kind]
    if (!lowCardinality.has(name)) return { name, type }
    return { name, type: `LowCardinality(${type})` }
  })
}

/**
 * The column ReplacingMergeTree keeps the highest of among a `messageId`'s copies: higher for an earlier
 * `receivedAt`, so the first arrival stays, as every other recipe keeps it. Without it the engine keeps the copy
 * loaded last, and which one a query sees would depend on whether a merge has run (a retry's `timestamp` can differ
 * from the first copy's by the milliseconds its trip took).
 */
export const clickHouseVersionColumn = {
  name: '_first_arrival',
  definition: 'UInt64 MATERIALIZED 10000000000000 - toUnixTimestamp64Milli(receivedAt)',
}

/**
 * `CREATE TABLE` for the events in ClickHouse: one column per field, and a computed version column that
 * `SELECT *` leaves out. ReplacingMergeTree drops the later copies of a `messageId` (a retry's) when parts merge;
 * queries that must never count one twice add `FINAL`.
 *
 * @param table - the table name (default `spoor_events`)
 */
export function clickHouseTable(table = 'spoor_events'): string {
  const version = clickHouseVersionColumn
  const columns = [...clickHouseColumns(), { name: version.name, type: version.definition }]
  const width = Math.max(...columns.map((c) => c.name.length))
  return [
    `CREATE TABLE ${table}`,
    '(',
    columns
      .map(
        (c, i) => `    \`${c.name}\`${' '.repeat(width - c.name.length)} ${c.type}${i < columns.length - 1 ? ',' : ''}`,
      )
      .join('\n'),
    ')',
    `ENGINE = ReplacingMergeTree(${version.name})`,
    'PARTITION BY toYYYYMM(receivedAt)',
    'ORDER BY (writeKey, messageId);',
  ].join('\n')
}
