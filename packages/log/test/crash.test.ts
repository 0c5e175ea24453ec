import { describe, expect, it } from 'vitest'
import { crashRun } from './crash/crash-run.js'

// The short form: a few kills in a few seconds. The long form is `npm run crash-test` (scripts/crash-test.ts).
describe('the collector killed with SIGKILL under load, again and again', () => {
  it('keeps every acknowledged event, publishes what each kill left open, and never publishes a partial line', async () => {
    const report = await crashRun({ rounds: 5, clients: 4, batchSize: 10, killAfterMs: [150, 400] })
    expect(report.ackedIds).toBeGreaterThan(0)
    expect(report.missing).toEqual([])
    expect(report.partialLines).toEqual([])
    expect(report.openFilesLeft).toEqual([])
    expect(report.unknown).toEqual([])
    // Each kill left files open (the collector writes continuously), and each start published them.
    expect(report.leftOpen).toBeGreaterThan(0)
    expect(report.recovered.published + report.recovered.removed).toBe(report.leftOpen)
  }, 60_000)
})
