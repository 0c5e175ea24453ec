/** A panel's rows as a table: a header and rows of raw values (numbers unformatted). */
export interface CsvTable {
  header: string[]
  rows: (string | number | null | undefined)[][]
}

// A spreadsheet runs a cell starting with these as a formula: event data must stay data.
const formulaStart = /^[=+\-@\t\r]/

/** One field: quoted when it holds a comma, quote or line break (RFC 4180), formula-like text prefixed with `'`. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  const text = formulaStart.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** The table as RFC 4180 CSV: CRLF line ends, a header row first. */
export function toCsv(table: CsvTable): string {
  return [table.header, ...table.rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}
