import { describe, expect, it } from 'vitest'
import { periodRange, previousRange, queryRange } from '../src/controls/period.js'

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

  it('reads the query: a period wins over dates, no range is the last 30 days, a bad period says which exist', () => {
    expect(iso(queryRange({ period: 'today', from: '2020-01-01' }, now))[0]).toBe('2026-03-18T00:00:00.000Z')
    expect(iso(queryRange({}, now))).toEqual(['2026-02-16T15:30:00.000Z', '2026-03-18T15:30:00.000Z'])
    expect(() => queryRange({ period: 'forever' }, now)).toThrow(
      'period "forever" is not one of today, yesterday, 7d, 30d, month, lastmonth',
    )
    expect(() => queryRange({ from: 'yesterday' }, now)).toThrow('is not a date')
  })
})
