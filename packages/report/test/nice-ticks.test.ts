import { describe, expect, it } from 'vitest'
import { niceTicks } from '../src/charts/nice-ticks.js'
import { timeChart } from '../src/charts/time-chart.js'

describe('the time chart axis', () => {
  it('steps by 1, 2 or 5 × 10ⁿ, at most five intervals, reaching the largest value', () => {
    expect(niceTicks(7)).toEqual({ step: 2, top: 8, values: [0, 2, 4, 6, 8] })
    expect(niceTicks(5).values).toEqual([0, 1, 2, 3, 4, 5])
    expect(niceTicks(0).values).toEqual([0, 1])
    expect(niceTicks(23)).toMatchObject({ step: 5, top: 25 })
    expect(niceTicks(101).values).toEqual([0, 50, 100, 150])
    expect(niceTicks(4_200)).toMatchObject({ step: 1_000, top: 5_000 })
    for (let max = 0; max <= 2_000; max += 7) {
      const { step, top, values } = niceTicks(max)
      expect(Number.isInteger(step) && step >= 1).toBe(true)
      expect(String(step)).toMatch(/^[125]0*$/)
      expect(top).toBeGreaterThanOrEqual(max)
      expect(values.length).toBeLessThanOrEqual(6)
    }
  })

  it('labels each gridline with the exact value drawn at its height', () => {
    const t = new Date('2026-03-01T00:00:00Z')
    const svg = timeChart(
      [
        { t, bars: 7, line: 3 },
        { t: new Date(t.getTime() + 3_600_000), bars: 6, line: 2 },
      ],
      3_600_000,
      ['page views', 'visitors'],
    )
    const labels = [...svg.matchAll(/data-tick="(\d+)">([^<]+)</g)].map((m) => [Number(m[1]), m[2]])
    expect(labels).toEqual([
      [0, '0'],
      [2, '2'],
      [4, '4'],
      [6, '6'],
      [8, '8'],
    ])
    // The bar of 6 page views ends exactly at the line labelled 6.
    const six = /<line [^>]*y1="([\d.]+)"[^>]*\/><text [^>]*data-tick="6"/.exec(svg)![1]
    const bars = [...svg.matchAll(/<rect [^>]*y="([\d.]+)"/g)].map((m) => Number(m[1]))
    expect(bars[1]).toBeCloseTo(Number(six), 1)
  })
})
