import { describe, expect, it } from 'vitest'
import { csvField, toCsv } from '../src/csv.js'

describe('CSV export', () => {
  it('quotes fields holding a comma, a quote or a line break, doubling quotes (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField('cr\rhere')).toBe('"cr\rhere"')
  })

  it('writes numbers unformatted and nothing for a missing value', () => {
    expect(csvField(1234567.5)).toBe('1234567.5')
    expect(csvField(-3)).toBe('-3')
    expect(csvField(0)).toBe('0')
    expect(csvField(null)).toBe('')
    expect(csvField(undefined)).toBe('')
    expect(csvField(Number.NaN)).toBe('')
  })

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`)
    expect(csvField('+1')).toBe("'+1")
    expect(csvField('-2+3')).toBe("'-2+3")
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvField('\t=1')).toBe("'\t=1")
    expect(csvField('a=b')).toBe('a=b')
  })

  it('puts the header first and ends every record with CRLF', () => {
    expect(
      toCsv({
        header: ['source', 'sessions'],
        rows: [
          ['news.example', 3],
          ['(direct)', 1],
        ],
      }),
    ).toBe('source,sessions\r\nnews.example,3\r\n(direct),1\r\n')
    expect(toCsv({ header: ['a'], rows: [] })).toBe('a\r\n')
  })
})
