import { type FieldKind, schemaFields } from './schema-fields.js'

/** One column of a BigQuery table schema, as `bq load --schema FILE` reads it. */
export interface BigQueryField {
  name: string
  type: 'STRING' | 'TIMESTAMP' | 'JSON'
  mode: 'REQUIRED' | 'NULLABLE'
  description: string
}

const types: Record<FieldKind, [BigQueryField['type'], boolean]> = {
  string: ['STRING', false],
  'nullable string': ['STRING', true],
  timestamp: ['TIMESTAMP', false],
  'nullable timestamp': ['TIMESTAMP', true],
  // properties, traits and context differ from event to event: JSON keeps them whole and queryable with JSON_VALUE.
  object: ['JSON', true],
}

/**
 * The BigQuery table schema of an NDJSON line, generated from the protocol's JSON Schema (docs/bigquery-schema.json
 * is this, and a test keeps the two in step).
 *
 * @example
 * writeFileSync('schema.json', JSON.stringify(bigQuerySchema(), null, 2))
 * // bq load --source_format=NEWLINE_DELIMITED_JSON dataset.events 'gs://bucket/events/*.ndjson' schema.json
 */
export function bigQuerySchema(): BigQueryField[] {
  return schemaFields().map(({ name, kind, required, description }) => {
    const [type, nullable] = types[kind]
    return { name, type, mode: nullable || !required ? 'NULLABLE' : 'REQUIRED', description }
  })
}
