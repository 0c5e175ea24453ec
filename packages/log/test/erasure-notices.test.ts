import { readdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { eraseDaysBefore, erasureNoticeKeptMs, readNewErasureNotices, writeErasureNotice } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/helpers.js'

const person = (id: string) => ({ userIds: new Set([id]), anonymousIds: new Set<string>(), emails: new Set<string>() })

/** A notice's name as written `ms` ago: its name carries the time it was written. */
const writtenAgo = (ms: number, rest: string) =>
  `${new Date(Date.now() - ms).toISOString().replace(/[-:.]/g, '')}-${rest}`

/** Makes the notice `name` one written `ms` ago; returns its new name. */
async function age(dataDir: string, name: string, ms: number) {
  const older = writtenAgo(ms, name.split('-').slice(1).join('-'))
  await rename(join(dataDir, 'erasures', name), join(dataDir, 'erasures', older))
  return older
}

const notices = async (dataDir: string) => (await readdir(join(dataDir, 'erasures'))).sort()

describe('erasure notices', () => {
  it('are kept a day, long enough for a running collector to read them, then removed by the next erasure', async () => {
    const dataDir = await tempDir()
    await writeErasureNotice(dataDir, person('first'))
    await writeErasureNotice(dataDir, person('second'))
    const [first, second] = await notices(dataDir)
    // A collector reads the fresh ones.
    expect((await readNewErasureNotices(dataDir, new Set())).length).toBe(2)
    await age(dataDir, first!, erasureNoticeKeptMs + 60_000)
    const kept = await age(dataDir, second!, erasureNoticeKeptMs - 3_600_000)
    // Half-written by an erasure that was killed; and a file that is no notice, left alone.
    await writeFile(join(dataDir, 'erasures', `.${writtenAgo(erasureNoticeKeptMs + 60_000, '0badf00d.json.tmp')}`), '{')
    await writeFile(join(dataDir, 'erasures', 'README.json'), '{}')
    await writeErasureNotice(dataDir, person('third'))
    const left = await notices(dataDir)
    expect(left).toHaveLength(3)
    expect(left).toContain(kept)
    expect(left).toContain('README.json')
  })

  it('older than a day are removed by the retention too', async () => {
    const dataDir = await tempDir()
    await writeErasureNotice(dataDir, person('old'))
    const old = await age(dataDir, (await notices(dataDir))[0]!, erasureNoticeKeptMs + 60_000)
    await eraseDaysBefore(dataDir, '2026-01-01', { dryRun: true })
    expect(await notices(dataDir)).toEqual([old])
    await eraseDaysBefore(dataDir, '2026-01-01')
    expect(await notices(dataDir)).toEqual([])
  })
})
