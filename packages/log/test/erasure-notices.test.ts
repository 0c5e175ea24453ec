import { readdir, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { eraseDaysBefore, erasureNoticeKeptMs, readNewErasureNotices, writeErasureNotice } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/helpers.js'

const person = (id: string) => ({ userIds: new Set([id]), anonymousIds: new Set<string>(), emails: new Set<string>() })

/** Backdates a notice (or any file of the erasures' folder) by `ms`. */
async function age(dataDir: string, name: string, ms: number) {
  const then = new Date(Date.now() - ms)
  await utimes(join(dataDir, 'erasures', name), then, then)
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
    await age(dataDir, second!, erasureNoticeKeptMs - 3_600_000)
    // Half-written by an erasure that was killed.
    await writeFile(join(dataDir, 'erasures', '.20260301T000000000Z-0badf00d.json.tmp'), '{"userIds":')
    await age(dataDir, '.20260301T000000000Z-0badf00d.json.tmp', erasureNoticeKeptMs + 60_000)
    await writeErasureNotice(dataDir, person('third'))
    const left = await notices(dataDir)
    expect(left).toHaveLength(2)
    expect(left).toContain(second)
    expect(left).not.toContain(first)
  })

  it('older than a day are removed by the retention too', async () => {
    const dataDir = await tempDir()
    await writeErasureNotice(dataDir, person('old'))
    const [old] = await notices(dataDir)
    await age(dataDir, old!, erasureNoticeKeptMs + 60_000)
    await eraseDaysBefore(dataDir, '2026-01-01', { dryRun: true })
    expect(await notices(dataDir)).toEqual([old])
    await eraseDaysBefore(dataDir, '2026-01-01')
    expect(await notices(dataDir)).toEqual([])
  })
})
