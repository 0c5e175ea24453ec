import { buildReport, compactDays } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'
import { bucketStart, chartInterval, intervalChoices, intervalNamed } from '../src/charts/intervals.js'

const day = 86_400_000

describe('the visitors chart interval', () => {
  it('is chosen for a few dozen bars, or as the reader asks while the span holds at most 1,500 of it', () => {
    expect(chartInterval(2 * 3_600_000).name).toBe('5 minutes')
    expect(chartInterval(30 * day).name).toBe('day')
    expect(chartInterval(365 * day).name).toBe('month')
    expect(chartInterval(30 * day, 'hour').name).toBe('hour')
    // 43,200 minutes in 30 days: too many bars, so the automatic interval.
    expect(chartInterval(30 * day, 'minute').name).toBe('day')
    expect(chartInterval(day, 'minute').name).toBe('minute')
    // Longer than the span, a choice is none of those offered: the automatic interval, not one bar.
    expect(chartInterval(2 * 3_600_000, 'day').name).toBe('5 minutes')
    expect(chartInterval(20 * day, 'month').name).toBe('day')
    expect(intervalChoices(30 * day)).toEqual(['hour', 'day', 'week', 'month'])
    expect(intervalChoices(day)).toEqual(['minute', 'hour', 'day'])
    expect(intervalChoices(4 * 365 * day)).toEqual(['day', 'week', 'month'])
    expect(intervalChoices(5 * 365 * day)).toEqual(['week', 'month'])
  })

  it('starts each month after the first on its 1st, whatever day the range starts on', () => {
    const month = intervalNamed('month')!
    const origin = new Date('2025-01-31T00:00:00.000Z')
    expect([0, 1, 2, 3].map((i) => bucketStart(origin, month, i).toISOString().slice(0, 10))).toEqual([
      '2025-01-31',
      '2025-02-01',
      '2025-03-01',
      '2025-04-01',
    ])
    expect(bucketStart(origin, intervalNamed('day')!, 2).toISOString()).toBe('2025-02-02T00:00:00.000Z')
  })

  it('counts by calendar months and by weeks from Monday, and links the choices on the dashboard', async () => {
    const dataDir = await tempDir()
    const view = (id: string, at: string) => eventLine(id, at, { anonymousId: id })
    // 31 January, 1 February (a Sunday), 2 February (a Monday) and 3 March.
    for (const at of ['2026-01-31T10:00:00.000Z', '2026-02-01T10:00:00.000Z', '2026-02-02T10:00:00.000Z']) {
      await writeDataFile(dataDir, at, [view(`v${at.slice(8, 10)}`, at)])
    }
    await writeDataFile(dataDir, '2026-03-03T10:00:00.000Z', [
      view('w1', '2026-03-03T10:00:00.000Z'),
      view('w2', '2026-03-03T11:00:00.000Z'),
    ])
    await compactDays({ dataDir })
    const range = { from: new Date('2026-01-01T00:00:00.000Z'), to: new Date('2026-03-10T00:00:00.000Z') }
    const chart = async (chartInterval?: 'week' | 'month') => {
      const report = await buildReport({
        dataDir,
        ...range,
        now: range.to,
        ...(chartInterval ? { chartInterval } : {}),
        view: { settingLink: (name, value) => `dashboard?${name}=${value}` },
      })
      const traffic = report.sections.find((s) => s.id === 'traffic')!
      return { rows: traffic.csv!.rows.filter((row) => row[1] !== 0), html: traffic.html }
    }
    const months = await chart('month')
    expect(months.rows).toEqual([
      ['2026-01-01T00:00:00.000Z', 1, 1],
      ['2026-02-01T00:00:00.000Z', 2, 2],
      ['2026-03-01T00:00:00.000Z', 2, 2],
    ])
    expect(months.html).toContain('<a class="range" href="dashboard?interval=month" aria-current="page">Months</a>')
    expect(months.html).toContain('>2026-02</text>')
    expect((await chart('week')).rows).toEqual([
      ['2026-01-26T00:00:00.000Z', 2, 2],
      ['2026-02-02T00:00:00.000Z', 1, 1],
      ['2026-03-02T00:00:00.000Z', 2, 2],
    ])
    // Unchosen, 31 days of span give days.
    const days = await chart()
    expect(days.rows.map((row) => row[0])).toContain('2026-02-02T00:00:00.000Z')
    expect(days.html).toContain('aria-current="page">Days</a>')
  })
})
