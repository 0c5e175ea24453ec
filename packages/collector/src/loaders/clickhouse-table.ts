import { schemaFields, type FieldKind } from './schema-fields.js'

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
 * `CREATE TABLE` for the events in ClickHouse: one column per field. ReplacingMergeTree drops repeats of a
 * `messageId` (a retry's copy) when parts merge; queries that must never count one twice add `FINAL`.
 *
 * @param table - the table name (default `spoor_events`)
 */
export function clickHouseTable(table = 'spoor_events'): string {
  const columns = clickHouseColumns()
  const width = Math.max(...columns.map((c) => c.name.length))
  return [
    `CREATE TABLE ${table}`,
    '(',
    columns.map((c, i) => `    \`${c.name}\`${' '.repeat(width - c.name.length)} ${c.type}${i < columns.length - 1 ? ',' : ''}`).join('\n'),
    ')',
    'ENGINE = ReplacingMergeTree',
    'PARTITION BY toYYYYMM(receivedAt)',
    'ORDER BY (writeKey, messageId);',
  ].join('\n')
}
