import { parseConfig, presentsToken } from '@spoor/collector'
import { dashboard, timeRange } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../../test/support/helpers.js'
import { runSpoor } from '../../../../test/support/run-cli.js'

const token = 'a-dashboard-token-of-24-chars+'
const config = parseConfig({ sites: [{ writeKey: 'shop-key', origins: [] }], dashboard: { token } })
const now = new Date('2026-03-18T15:30:00.000Z')

/** The dashboard's answer to a query, over an empty data folder, its clock at {@link now}. */
async function dashboardAnswer(query: string) {
  const app = dashboard({ config, dataDir: await tempDir(), presentsToken, now: () => now })
  const response = await app.request(`/dashboard?${query}`, { headers: { authorization: `Bearer ${token}` } })
  return { status: response.status, body: await response.text() }
}

describe('a date the calendar lacks', () => {
  it('is refused, not rolled over into the next month', () => {
    for (const text of [
      '2026-02-30',
      '2026-02-29',
      '2026-04-31',
      '2026-02-30T10:00:00Z',
      '2026-06-31T23:00:00+02:00',
    ]) {
      expect(() => timeRange(text, '2026-12-31', now), text).toThrow(`"${text}" is not a date`)
      expect(() => timeRange('2026-01-01', text, now), text).toThrow(`"${text}" is not a date`)
    }
    expect(() => timeRange('2026-02-30', undefined, now)).toThrow(
      '"2026-02-30" is not a date: February 2026 has 28 days',
    )
    // The days that are.
    expect(timeRange('2024-02-29', '2026-04-30', now).from).toEqual(new Date('2024-02-29T00:00:00.000Z'))
    expect(timeRange('2026-01-31T24:00:00Z', undefined, now).from).toEqual(new Date('2026-02-01T00:00:00.000Z'))
    // Years 0 to 99 are their own, not 1900 to 1999: year 0 is a leap year, 1900 is not.
    expect(timeRange('0000-02-29', '2026-04-30', now).from).toEqual(new Date('0000-02-29T00:00:00.000Z'))
    expect(() => timeRange('0001-02-29', undefined, now)).toThrow('"0001-02-29" is not a date: February 1 has 28 days')
  })

  it('is a 400 on the dashboard, saying which date', async () => {
    const answer = await dashboardAnswer('from=2026-02-30&to=2026-03-10')
    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body).error).toBe('"2026-02-30" is not a date: February 2026 has 28 days')
  })

  it('is a usage mistake of spoor report: exit 2, one line', async () => {
    const run = await runSpoor(['report', await tempDir(), '--out', '-', '--from', '2026-02-30'])
    expect(run.code).toBe(2)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toContain('"2026-02-30" is not a date: February 2026 has 28 days')
  }, 30_000)
})

describe('a range that ends before it starts', () => {
  it("on the dashboard, speaks of the dashboard's own parameters and the dates as given", async () => {
    const answer = await dashboardAnswer('from=2026-03-10&to=2026-03-01')
    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body).error).toBe('from (2026-03-10) must come before the end of to (2026-03-01)')
    const times = await dashboardAnswer('from=2026-03-10T12:00:00Z&to=2026-03-10T11:00:00Z')
    expect(JSON.parse(times.body).error).toBe('from (2026-03-10T12:00:00Z) must come before to (2026-03-10T11:00:00Z)')
    const future = await dashboardAnswer('from=2027-01-01')
    expect(JSON.parse(future.body).error).toBe('from (2027-01-01) must come before now (2026-03-18T15:30:00.000Z)')
  })

  it('on the command line, names its options and the dates as given', () => {
    expect(() => timeRange('2026-03-10', '2026-03-01', now)).toThrow(
      '--from (2026-03-10) must come before the end of --to (2026-03-01)',
    )
  })
})
