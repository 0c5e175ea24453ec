import { join } from 'node:path'
import { parseConfig, presentsToken } from '@spoor/collector'
import { buildReport, compactDays, dashboard, timeRange } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../../test/support/compacted-data.js'
import { tempDir } from '../../../../test/support/helpers.js'
import { runSpoor } from '../../../../test/support/run-cli.js'
import { metricOf } from '../report-of.js'

const token = 'a-dashboard-token-of-24-chars+'
const config = parseConfig({ sites: [{ writeKey: 'shop', origins: [] }], dashboard: { token } })
const now = new Date('2026-03-18T15:30:00.000Z')

/** Two page views on 1 March 2026 and one on 10 March, that day compacted or not. */
async function threeViews(compacted: boolean) {
  const dataDir = await tempDir()
  const first = '2026-03-01T10:00:00.000Z'
  const later = '2026-03-10T10:00:00.000Z'
  await writeDataFile(dataDir, first, [
    eventLine('p1', first, { anonymousId: 'ann' }),
    eventLine('p2', first, { anonymousId: 'ben' }),
  ])
  if (compacted)
    await expect((await compactDays({ dataDir, now: new Date('2026-03-05T00:00:00.000Z') })).compacted).toHaveLength(1)
  await writeDataFile(dataDir, later, [eventLine('p3', later, { anonymousId: 'cy' })])
  return dataDir
}

describe('a range reaching the last day a date can name', () => {
  for (const compacted of [false, true]) {
    const read = compacted ? 'a compacted day among them' : 'from the files'
    it(`counts every event in it, as far as the dates go (${read})`, async () => {
      const dataDir = await threeViews(compacted)
      for (const [from, to] of [
        ['0001-01-01', '9999-12-31'],
        ['2026-01-01', '9999-12-30'],
        ['0000-01-01', '9999-12-31T23:00:00-05:00'],
      ] as const) {
        const report = await buildReport({ dataDir, ...timeRange(from, to, now), now })
        expect(report.events, `${from} to ${to}`).toBe(3)
        expect(report.sections.filter((s) => s.html.includes('data-error')).map((s) => s.id)).toEqual([])
      }
    })
  }

  it('is shown by the dashboard, the period before it compared', async () => {
    const dataDir = await threeViews(true)
    const app = dashboard({ config, dataDir, presentsToken, now: () => now })
    for (const query of ['from=2026-03-01&to=9999-12-30', 'from=0001-01-01&to=9999-12-31&compare=year']) {
      const answer = await app.request(`/dashboard?${query}`, { headers: { authorization: `Bearer ${token}` } })
      expect(answer.status, query).toBe(200)
      expect(metricOf(await answer.text(), 'pageviews'), query).toBe(3)
    }
  })

  it('is reported by spoor report', async () => {
    const dataDir = await threeViews(false)
    const out = join(dataDir, 'report.html')
    const run = await runSpoor(['report', dataDir, '--out', out, '--from', '0001-01-01', '--to', '9999-12-31'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('wrote')
    expect(run.stderr).toContain('3 events')
  }, 30_000)
})
