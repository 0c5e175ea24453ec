import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { erasePerson } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'

/** A compacted day as the report's compaction leaves it: a manifest naming its Parquet file and its visits'. */
async function compactedDay(dataDir: string, day: string, files: string[]) {
  const folder = join(dataDir, 'compacted')
  await mkdir(join(folder, 'visits'), { recursive: true })
  const parquet = `dt=${day}.t1.parquet`
  const visits = `visits/dt=${day}.t1.parquet`
  await writeFile(join(folder, parquet), 'PAR1')
  await writeFile(join(folder, visits), 'PAR1')
  const manifest = { day, parquet, visits, files: files.map((path) => ({ path, size: 1 })), events: 1, unreadable: 0 }
  await writeFile(join(folder, `dt=${day}.json`), JSON.stringify(manifest))
}

describe('erasure and compacted days', () => {
  it('drops the compacted days whose files it rewrote, manifest and Parquet files, and leaves the others', async () => {
    const dataDir = await tempDir()
    await writeDataFile(dataDir, '2026-03-01T10:00:00.000Z', [
      eventLine('m1', '2026-03-01T10:00:00.000Z', { anonymousId: 'dev-ada', userId: 'ada' }),
      eventLine('m2', '2026-03-01T10:01:00.000Z', { anonymousId: 'dev-bob' }),
    ])
    await writeDataFile(dataDir, '2026-03-02T10:00:00.000Z', [
      eventLine('m3', '2026-03-02T10:00:00.000Z', { anonymousId: 'dev-bob' }),
    ])
    await compactedDay(dataDir, '2026-03-01', ['dt=2026-03-01/hour=10/x.ndjson'])
    await compactedDay(dataDir, '2026-03-02', ['dt=2026-03-02/hour=10/x.ndjson'])
    // Left by a compaction of that day that stopped before its manifest: it may hold the person too.
    await writeFile(join(dataDir, 'compacted', '.dt=2026-03-01.t2.parquet.tmp'), 'PAR1')
    await writeFile(join(dataDir, 'compacted', 'visits', '.dt=2026-03-01.t2.parquet.tmp'), 'PAR1')
    await writeFile(join(dataDir, 'compacted', 'visits', 'dt=2026-03-01.t3.parquet'), 'PAR1')

    const dry = await erasePerson({ dataDir, target: { userId: 'ada' }, dryRun: true })
    expect(dry.droppedDays).toEqual([])
    expect(await readdir(join(dataDir, 'compacted'))).toHaveLength(6)
    expect(await readdir(join(dataDir, 'compacted', 'visits'))).toHaveLength(4)

    const report = await erasePerson({ dataDir, target: { userId: 'ada' } })
    expect(report.removed).toBe(1)
    expect(report.droppedDays).toEqual(['2026-03-01'])
    expect((await readdir(join(dataDir, 'compacted'))).sort()).toEqual([
      'dt=2026-03-02.json',
      'dt=2026-03-02.t1.parquet',
      'visits',
    ])
    expect(await readdir(join(dataDir, 'compacted', 'visits'))).toEqual(['dt=2026-03-02.t1.parquet'])
  })
})
