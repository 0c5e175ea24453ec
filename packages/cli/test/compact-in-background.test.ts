import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { createLogger } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'
import { compactInBackground } from '../src/commands/compact-in-background.js'

describe("spoor serve's background compaction", () => {
  it('compacts each period the days published since, and stops after the run in progress', async () => {
    const dataDir = await tempDir()
    const warnings: string[] = []
    const log = createLogger((line, level) => {
      if (level !== 'info') warnings.push(line)
    })
    await writeDataFile(dataDir, '2026-03-01T10:00:00.000Z', [
      eventLine('m1', '2026-03-01T10:00:00.000Z', { anonymousId: 'ann' }),
    ])
    const background = compactInBackground(dataDir, 100, log)
    const manifests = async () =>
      (await readdir(join(dataDir, 'compacted')).catch(() => [])).filter((n) => n.endsWith('.json'))
    await expect.poll(manifests, { timeout: 20_000 }).toEqual(['dt=2026-03-01.json'])
    await writeDataFile(dataDir, '2026-03-02T10:00:00.000Z', [
      eventLine('m2', '2026-03-02T10:00:00.000Z', { anonymousId: 'ben' }),
    ])
    await expect.poll(manifests, { timeout: 20_000 }).toEqual(['dt=2026-03-01.json', 'dt=2026-03-02.json'])
    await background.stop()
    expect(warnings).toEqual([])
  }, 30_000)
})
