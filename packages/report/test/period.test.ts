import { describe, expect, it } from 'vitest'
import { comparedRange, periodRange, previousRange, queryRange } from '../src/controls/period.js'

const now = new Date('2026-03-18T15:30:00.000Z')
const iso = (range: { from: Date; to: Date }) => [range.from.toISOString(), range.to.toISOString()]

describe('dashboard periods', () => {
  it('today, 7 and 30 days counting today, and this month, each up to now (UTC)', () => {
    const end = '2026-03-18T15:30:00.001Z'
    expect(iso(periodRange('today', now))).toEqual(['2026-03-18T00:00:00.000Z', end])
    expect(iso(periodRange('7d', now))).toEqual(['2026-03-12T00:00:00.000Z', end])
    expect(iso(periodRange('30d', now))).toEqual(['2026-02-17T00:00:00.000Z', end])
    expect(iso(periodRange('month', now))).toEqual(['2026-03-01T00:00:00.000Z', end])
  })

  it('yesterday and last month: the whole day and calendar month before, across a year', () => {
    expect(iso(periodRange('yesterday', now))).toEqual(['2026-03-17T00:00:00.000Z', '2026-03-18T00:00:00.000Z'])
    expect(iso(periodRange('lastmonth', now))).toEqual(['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'])
    const newYear = new Date('2027-01-01T00:00:00.000Z')
    expect(iso(periodRange('yesterday', newYear))).toEqual(['2026-12-31T00:00:00.000Z', '2027-01-01T00:00:00.000Z'])
    expect(iso(periodRange('lastmonth', newYear))).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'])
    // Compared with the day before, and with the same length before the month (28 days before February).
    expect(iso(previousRange(periodRange('yesterday', now)))).toEqual([
      '2026-03-16T00:00:00.000Z',
      '2026-03-17T00:00:00.000Z',
    ])
    expect(iso(previousRange(periodRange('lastmonth', now)))[0]).toBe('2026-01-04T00:00:00.000Z')
  })

  it('a month starts on the 1st whatever its length, across a year', () => {
    expect(iso(periodRange('month', new Date('2027-01-01T00:00:00.000Z')))[0]).toBe('2027-01-01T00:00:00.000Z')
    expect(iso(periodRange('30d', new Date('2027-01-05T08:00:00.000Z')))[0]).toBe('2026-12-07T00:00:00.000Z')
  })

  it('compares with the same-length range just before', () => {
    expect(iso(previousRange(periodRange('7d', now)))).toEqual(['2026-03-05T08:29:59.999Z', '2026-03-12T00:00:00.000Z'])
    const custom = queryRange({ from: '2026-03-01', to: '2026-03-10' }, now)
    expect(iso(custom)).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-11T00:00:00.000Z'])
    expect(iso(previousRange(custom))).toEqual(['2026-02-19T00:00:00.000Z', '2026-03-01T00:00:00.000Z'])
  })

  it("reads a date-time without a zone in UTC, as every time the report shows, whatever the server's zone", () => {
    const zone = process.env.TZ
    process.env.TZ = 'Asia/Tokyo'
    try {
      expect(iso(queryRange({ from: '2026-03-18T10:00', to: '2026-03-18 12:30:00' }, now))).toEqual([
        '2026-03-18T10:00:00.000Z',
        '2026-03-18T12:30:00.000Z',
      ])
      expect(iso(queryRange({ from: '2026-03-18T10:00:00+02:00', to: '2026-03-18T12:00Z' }, now))[0]).toBe(
        '2026-03-18T08:00:00.000Z',
      )
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
  })

  it('reads the query: a period wins over dates, no range is the last 30 days, a bad period says which exist', () => {
    expect(iso(queryRange({ period: 'today', from: '2020-01-01' }, now))[0]).toBe('2026-03-18T00:00:00.000Z')
    // The default view is the "Last 30 days" its toolbar marks: the range that link shows, not 30 × 24 hours.
    expect(iso(queryRange({}, now))).toEqual(iso(periodRange('30d', now)))
    expect(iso(queryRange({ from: '', to: '' }, now))).toEqual(['2026-02-17T00:00:00.000Z', '2026-03-18T15:30:00.001Z'])
    expect(() => queryRange({ period: 'forever' }, now)).toThrow(
      'period "forever" is not one of realtime, today, yesterday, 7d, 30d, month, lastmonth, year, 12mo, all',
    )
    expect(() => queryRange({ from: 'yesterday' }, now)).toThrow('is not a date')
  })

  it('the year to date, the last 12 calendar months, all time from the first day with data, the last 30 minutes', () => {
    const end = '2026-03-18T15:30:00.001Z'
    expect(iso(periodRange('year', now))).toEqual(['2026-01-01T00:00:00.000Z', end])
    expect(iso(periodRange('12mo', now))).toEqual(['2025-04-01T00:00:00.000Z', end])
    expect(iso(periodRange('12mo', new Date('2027-01-01T00:00:00.000Z')))[0]).toBe('2026-02-01T00:00:00.000Z')
    const firstDay = new Date('2024-07-09T00:00:00.000Z')
    expect(iso(queryRange({ period: 'all' }, now, firstDay))).toEqual(['2024-07-09T00:00:00.000Z', end])
    expect(iso(periodRange('realtime', now))).toEqual(['2026-03-18T15:00:00.000Z', end])
    // With no data yet, all time is today.
    expect(iso(periodRange('all', now))[0]).toBe('2026-03-18T00:00:00.000Z')
  })

  it('compares with the period before, the same dates a year before, or nothing; all time with nothing', () => {
    const week = periodRange('7d', now)
    expect(comparedRange(week, {})).toEqual(previousRange(week))
    expect(comparedRange(week, { compare: 'previous' })).toEqual(previousRange(week))
    expect(iso(comparedRange(week, { compare: 'year' })!)).toEqual([
      '2025-03-12T00:00:00.000Z',
      '2025-03-18T15:30:00.001Z',
    ])
    // A leap day a year before is the 28th: the day before the 1st of March, not an empty range.
    const leap = queryRange({ from: '2028-02-29', to: '2028-02-29' }, now)
    expect(iso(comparedRange(leap, { compare: 'year' })!)).toEqual([
      '2027-02-28T00:00:00.000Z',
      '2027-03-01T00:00:00.000Z',
    ])
    // Yesterday on the 1st of March is the leap day: a year before, the 28th. On the leap day, yesterday is the 28th,
    // and a year before too, its end (the leap day) the 1st of March: neither range is empty.
    const yesterday = periodRange('yesterday', new Date('2024-03-01T10:00:00.000Z'))
    expect(iso(comparedRange(yesterday, { compare: 'year' })!)).toEqual([
      '2023-02-28T00:00:00.000Z',
      '2023-03-01T00:00:00.000Z',
    ])
    const leapYesterday = periodRange('yesterday', new Date('2024-02-29T10:00:00.000Z'))
    expect(iso(comparedRange(leapYesterday, { compare: 'year' })!)).toEqual([
      '2023-02-28T00:00:00.000Z',
      '2023-03-01T00:00:00.000Z',
    ])
    // A range ending within a leap day keeps its length's order: it ends at that time on the 1st of March.
    const hours = queryRange({ from: '2024-02-28T12:00:00Z', to: '2024-02-29T06:00:00Z' }, now)
    expect(iso(comparedRange(hours, { compare: 'year' })!)).toEqual([
      '2023-02-28T12:00:00.000Z',
      '2023-03-01T06:00:00.000Z',
    ])
    expect(comparedRange(week, { compare: 'none' })).toBeUndefined()
    expect(comparedRange(periodRange('all', now), { period: 'all' })).toBeUndefined()
    expect(comparedRange(periodRange('realtime', now), { period: 'realtime' })).toBeUndefined()
    expect(() => comparedRange(week, { compare: 'lastweek' })).toThrow(
      'compare "lastweek" is not one of previous, year, none',
    )
  })
})
