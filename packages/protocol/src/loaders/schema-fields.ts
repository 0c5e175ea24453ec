import { eventLineSchema } from '../event-line-schema.js'

/** What a column of an NDJSON line holds, as the loaders need to know it. */
export type FieldKind = 'string' | 'nullable string' | 'timestamp' | 'nullable timestamp' | 'object'

/** One top-level field of an event line, read from the protocol's JSON Schema. */
export interface SchemaField {
  name: string
  kind: FieldKind
  /** Every line has the field (it may be null when the kind is nullable). */
  required: boolean
  description: string
}

interface PropertySchema {
  type?: string | readonly string[]
  format?: string
  enum?: readonly unknown[]
  description?: string
}

const kindOf = (name: string, schema: PropertySchema): FieldKind => {
  if (schema.enum) return 'string'
  const types = typeof schema.type === 'string' ? [schema.type] : [...(schema.type ?? [])]
  const nullable = types.includes('null')
  const rest = types.filter((t) => t !== 'null')
  if (rest.length === 1 && rest[0] === 'object' && !nullable) return 'object'
  if (rest.length === 1 && rest[0] === 'string') {
    if (schema.format === 'date-time') return nullable ? 'nullable timestamp' : 'timestamp'
    return nullable ? 'nullable string' : 'string'
  }
  // A new field whose type the loaders cannot map must fail loudly here, not load as something else.
  throw new Error(`event line field "${name}" has a type the loaders do not know: ${JSON.stringify(schema.type)}`)
}

/**
 * The fields of an NDJSON line in schema order, each with the kind of value it holds: the one source the
 * DuckDB, ClickHouse and BigQuery definitions and the field table of docs/ndjson.md are generated from.
 */
export function schemaFields(schema: typeof eventLineSchema = eventLineSchema): SchemaField[] {
  const required = new Set<string>(schema.required)
  return Object.entries(schema.properties as Record<string, PropertySchema>).map(([name, property]) => ({
    name,
    kind: kindOf(name, property),
    required: required.has(name),
    description: property.description ?? '',
  }))
}
