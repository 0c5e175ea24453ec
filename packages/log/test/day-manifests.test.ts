import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { compactedFolder, readDayManifests } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/helpers.js'

describe('readDayManifests', () => {
  it("reads every compacted day's manifest, or those of a range of days, and skips one that is not a manifest", async () => {
    const dataDir = await tempDir()
    const folder = compactedFolder(dataDir)
    await mkdir(folder, { recursive: true })
    for (const day of ['2026-03-03', '2026-03-01', '2026-03-02', '2026-03-04']) {
      await writeFile(
        join(folder, `dt=${day}.json`),
        JSON.stringify({ day, parquet: `dt=${day}.x.parquet`, files: [] }),
      )
    }
    // Written by hand with another day's name inside: not this day's.
    await writeFile(
      join(folder, 'dt=2026-03-05.json'),
      JSON.stringify({ day: '2026-03-04', parquet: 'x.parquet', files: [] }),
    )
    await writeFile(join(folder, 'dt=2026-03-06.json'), '{"day": "2026-03-06", ')
    expect([...(await readDayManifests(dataDir)).keys()]).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
    ])
    const range = await readDayManifests(dataDir, { first: '2026-03-02', last: '2026-03-03' })
    expect([...range.keys()]).toEqual(['2026-03-02', '2026-03-03'])
    expect(range.get('2026-03-02')?.parquet).toBe('dt=2026-03-02.x.parquet')
    expect([...(await readDayManifests(dataDir, { first: '2026-03-04', last: '2026-03-09' })).keys()]).toEqual([
      '2026-03-04',
    ])
  })
})
