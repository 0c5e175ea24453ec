/** A string as a SQL literal, for the file paths DuckDB's table functions take (they cannot be bound parameters). */
export const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`

/** Texts as a list of SQL literals, for an `IN (…)` or a list of files: `'a', 'b'`. */
export const sqlList = (texts: Iterable<string>) => [...texts].map(sqlString).join(', ')

/** What every line the report counts has; DuckDB gives NULL for a field it could not read as its type. */
export const readableLine =
  'messageId IS NOT NULL AND type IS NOT NULL AND timestamp IS NOT NULL AND receivedAt IS NOT NULL'
