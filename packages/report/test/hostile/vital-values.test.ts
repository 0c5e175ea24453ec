import { buildReport } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../../test/support/compacted-data.js'
import { tempDir } from '../../../../test/support/helpers.js'
import { metricOf, sectionOf } from '../report-of.js'

const at = '2026-03-01T10:00:00.000Z'
const now = new Date('2026-03-01T12:00:00.000Z')
const range = { from: new Date('2026-03-01T00:00:00.000Z'), to: now, now }

/** A `Web Vital` line as hand-written NDJSON: `value` is its JSON text as given, so it may be anything. */
const vitalLine = (id: string, name: string, value: string, seconds = 0) =>
  eventLine(id, new Date(Date.parse(at) + seconds * 1000).toISOString(), {
    anonymousId: 'ann',
    event: 'Web Vital',
    properties: { name, id, value: '@value@' },
  }).replace('"@value@"', value)

describe('a web vital value', () => {
  it('counts only as a finite number a browser could have measured', async () => {
    const dataDir = await tempDir()
    await writeDataFile(dataDir, at, [
      eventLine('p1', at, { anonymousId: 'ann' }),
      vitalLine('l1', 'LCP', '1800'),
      vitalLine('l2', 'LCP', '1e308'),
      vitalLine('l3', 'LCP', '"NaN"'),
      vitalLine('l4', 'LCP', '"1200"'),
      vitalLine('l5', 'LCP', '-5'),
      vitalLine('l6', 'LCP', '1e400'),
      vitalLine('l7', 'LCP', 'null'),
      vitalLine('l8', 'LCP', '[1]'),
      // A metric whose every report is absurd is not shown at all.
      vitalLine('c1', 'CLS', '"Infinity"'),
      vitalLine('c2', 'CLS', '1e308'),
      vitalLine('i1', 'INP', '"-Infinity"'),
      // The latest report of an id that a browser could have measured is the one that counts.
      vitalLine('t1', 'TTFB', '300', 0),
      vitalLine('t1', 'TTFB', '1e308', 1).replace('"messageId":"t1"', '"messageId":"t1-again"'),
    ])
    const report = await buildReport({ dataDir, ...range })
    const vitals = sectionOf(report.html, 'vitals')
    expect(metricOf(vitals, 'vital-p75:LCP')).toBe(1800)
    expect(vitals).toContain('1,800 ms')
    expect(metricOf(vitals, 'vital-p75:TTFB')).toBe(300)
    expect(metricOf(vitals, 'vital-p75:CLS')).toBeUndefined()
    expect(metricOf(vitals, 'vital-p75:INP')).toBeUndefined()
    expect(vitals).not.toMatch(/NaN|Infinity|∞|\d{8}/)
    const csv = report.sections.find((s) => s.id === 'vitals')!.csv!
    expect(csv.rows).toEqual([
      ['LCP', 1800, 1, 1, 0],
      ['TTFB', 300, 1, 1, 0],
    ])
  })
})
