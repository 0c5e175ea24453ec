/** A string as a SQL literal, for the file paths DuckDB's table functions take (they cannot be bound parameters). */
export const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`

/** What every line the report counts has; DuckDB gives NULL for a field it could not read as its type. */
export const readableLine =
  'messageId IS NOT NULL AND type IS NOT NULL AND timestamp IS NOT NULL AND receivedAt IS NOT NULL'
