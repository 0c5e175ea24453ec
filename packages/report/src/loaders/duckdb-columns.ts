import { type FieldKind, schemaFields } from '@spoor/protocol'

const types: Record<FieldKind, string> = {
  string: 'VARCHAR',
  'nullable string': 'VARCHAR',
  timestamp: 'TIMESTAMPTZ',
  'nullable timestamp': 'TIMESTAMPTZ',
  object: 'JSON',
}

/**
 * The `columns` argument of DuckDB's `read_json` for an NDJSON line, generated from the protocol's JSON Schema:
 * with it every file reads with the same types, whatever its events hold (read_json_auto would infer a STRUCT
 * from the properties it happens to sample).
 *
 * @example
 * connection.run(`SELECT count(*) FROM read_json('data/events/**\/*.ndjson', columns = ${duckDbColumns()})`)
 * @param options.indent - lay the columns out one per line under this indent (default: one line)
 */
export function duckDbColumns(options: { indent?: string } = {}): string {
  const entries = schemaFields().map(({ name, kind }) => `${name}: '${types[kind]}'`)
  if (options.indent === undefined) return `{${entries.join(', ')}}`
  return `{\n${entries.map((e) => options.indent + '  ' + e).join(',\n')}\n${options.indent}}`
}
