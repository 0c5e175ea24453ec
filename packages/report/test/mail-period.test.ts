import { describe, expect, it } from 'vitest'
import { mailPeriod, mailPeriodKind } from '../src/mail/mail-period.js'

const iso = (range: { from: Date; to: Date }) => [range.from.toISOString(), range.to.toISOString()]

describe('the period of a summary mail', () => {
  it('is the last whole week, Monday to Sunday, whichever day and hour it is sent', () => {
    for (const now of ['2026-12-07T00:00:00.000Z', '2026-12-07T08:30:00.000Z', '2026-12-13T23:59:59.999Z']) {
      const week = mailPeriod('week', new Date(now))
      expect(iso(week), now).toEqual(['2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z'])
      expect(iso(week.previous)).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z'])
      expect(week.label).toBe('the week of 30 November 2026')
    }
    // A Sunday is the last day of its week: the mail covers the week before.
    expect(iso(mailPeriod('week', new Date('2026-12-06T12:00:00.000Z')))).toEqual([
      '2026-11-23T00:00:00.000Z',
      '2026-11-30T00:00:00.000Z',
    ])
  })

  it('is the last calendar month, across a year’s end, compared with the month before', () => {
    const january = mailPeriod('month', new Date('2027-01-01T06:00:00.000Z'))
    expect(iso(january)).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'])
    expect(iso(january.previous)).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'])
    expect(january.label).toBe('December 2026')
    const march = mailPeriod('month', new Date('2028-03-31T23:00:00.000Z'))
    expect(iso(march)).toEqual(['2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z'])
  })

  it('is read from week or month, and a mistake names them', () => {
    expect(mailPeriodKind('month')).toBe('month')
    expect(() => mailPeriodKind('fortnight')).toThrow('write week or month')
  })
})
