import { readdir, readFile, rename, statfs, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createLogger, writeErasureNotice } from '@spoor/log'
import { compactDays } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'
import { onSmallDisk } from '../../../test/support/small-disk.js'
import { compactInBackground } from '../src/commands/compact-in-background.js'

/** A day of about 0.9 MB: 600 events padded to 1.5 KB each, on 1 March 2026. */
async function writePaddedDay(dataDir: string) {
  const at = '2026-03-01T10:00:00.000Z'
  const pad = { pad: 'x'.repeat(1000) }
  const lines = Array.from({ length: 600 }, (_, i) =>
    eventLine(`m${i}`, at, { anonymousId: 'ann', event: 'Padded', properties: pad }),
  )
  await writeDataFile(dataDir, at, lines)
}

describe("spoor serve's background compaction", () => {
  it('compacts each period the days published since, until stopped', async () => {
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
    // An erasure's notice older than a day goes with the next run, with or without a retention.
    await writeErasureNotice(dataDir, { userIds: new Set(['u1']), anonymousIds: new Set(), emails: new Set() })
    const [notice] = await readdir(join(dataDir, 'erasures'))
    // Its name says when it was written: renamed as written two days ago.
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/[-:.]/g, '')
    await rename(
      join(dataDir, 'erasures', notice!),
      join(dataDir, 'erasures', `${twoDaysAgo}-${notice!.split('-')[1]}`),
    )
    await expect.poll(() => readdir(join(dataDir, 'erasures')), { timeout: 20_000 }).toEqual([])
    await background.stop()
    expect(warnings).toEqual([])
  }, 30_000)

  it('stops a run on stop: the day halfway through is left as it was, nothing of it on the disk, for the next run', async () => {
    const dataDir = await tempDir()
    // A day large enough that its rewrite is still going when it is stopped (a few seconds on this machine).
    const at = (i: number) => new Date(Date.parse('2026-03-01T10:00:00.000Z') + i * 100).toISOString()
    const lines = Array.from({ length: 200_000 }, (_, i) =>
      eventLine(`m${i}`, at(i), { anonymousId: `v${i % 5000}`, path: `/p${i % 300}` }),
    )
    await writeDataFile(dataDir, '2026-03-01T10:00:00.000Z', lines)
    const logged: string[] = []
    const background = compactInBackground(
      dataDir,
      100,
      createLogger((line) => logged.push(line)),
    )
    const compacted = join(dataDir, 'compacted')
    const files = async () => (await readdir(compacted, { recursive: true }).catch(() => [] as string[])).sort()
    // Stopped once DuckDB is writing the day's Parquet file, mid-statement.
    await expect
      .poll(async () => (await files()).some((name) => name.endsWith('.parquet.tmp')), { timeout: 60_000, interval: 5 })
      .toBe(true)
    await background.stop()
    // No manifest, Parquet file, visit summary, checkpoint or temporary copy of the day: only folders, if any.
    expect((await files()).filter((name) => name.includes('dt='))).toEqual([])
    expect(logged.join('\n')).toContain('compaction stopped; the next start compacts the rest')
    expect(logged.join('\n')).not.toContain('compaction failed')
    // The next run compacts the day whole.
    const done = await compactDays({ dataDir })
    expect(done.compacted).toMatchObject([{ day: '2026-03-01', events: 200_000 }])
  }, 120_000)

  it('compacts at once, not a period later, a day an older version compacted', async () => {
    const dataDir = await tempDir()
    await writeDataFile(dataDir, '2026-03-01T10:00:00.000Z', [
      eventLine('m1', '2026-03-01T10:00:00.000Z', { anonymousId: 'ann' }),
    ])
    await compactDays({ dataDir })
    const manifestFile = join(dataDir, 'compacted', 'dt=2026-03-01.json')
    const current = JSON.parse(await readFile(manifestFile, 'utf8'))
    // As an older version wrote it: fewer extracted columns, which the report cannot read the day by.
    await writeFile(manifestFile, JSON.stringify({ ...current, extractedColumns: current.extractedColumns - 1 }))
    const lines: string[] = []
    const background = compactInBackground(
      dataDir,
      3_600_000,
      createLogger((line) => lines.push(line)),
    )
    const version = async () => JSON.parse(await readFile(manifestFile, 'utf8')).extractedColumns
    await expect.poll(version, { timeout: 20_000 }).toBe(current.extractedColumns)
    await background.stop()
    expect(lines.join('\n')).toContain('compacting days written by an older version')
  }, 30_000)

  it('with a retention, erases the days past it before compacting', async () => {
    const dataDir = await tempDir()
    const old = '2026-03-01T10:00:00.000Z'
    await writeDataFile(dataDir, old, [eventLine('m1', old, { anonymousId: 'ann' })])
    await compactDays({ dataDir })
    // A day within the retention, whatever the clock says: the one just arrived.
    const recent = new Date().toISOString()
    await writeDataFile(dataDir, recent, [eventLine('m2', recent, { anonymousId: 'ben' })])
    const lines: string[] = []
    const background = compactInBackground(
      dataDir,
      100,
      createLogger((line) => lines.push(line)),
      undefined,
      30 * 86_400_000,
    )
    const manifests = async () =>
      (await readdir(join(dataDir, 'compacted')).catch(() => [])).filter((n) => n.endsWith('.json'))
    await expect.poll(manifests, { timeout: 20_000 }).toEqual([`dt=${recent.slice(0, 10)}.json`])
    await background.stop()
    expect(await readdir(join(dataDir, 'events'))).toEqual([`dt=${recent.slice(0, 10)}`])
    expect(lines.join('\n')).toContain('erased days past the retention')
  }, 30_000)

  it('fails a run that fills the disk with a warning and takes its copy away, and the collector beside it lives on', async (ctx) => {
    await onSmallDisk(ctx, '1m', async (mount) => {
      const dataDir = join(mount, 'data')
      // A day of 0.9 MB on a 1 MiB disk: compacting copies its lines into one file first, and runs out of room.
      await writePaddedDay(dataDir)
      const free = async () => (await statfs(mount)).bavail
      const before = await free()
      const warnings: string[] = []
      const background = compactInBackground(
        dataDir,
        100,
        createLogger((line, level) => {
          if (level !== 'info') warnings.push(line)
        }),
      )
      await expect.poll(() => warnings.join('\n'), { timeout: 20_000 }).toMatch(/compaction failed.*ENOSPC/)
      await background.stop()
      expect(await free()).toBe(before)
      expect((await readdir(join(dataDir, 'compacted')).catch(() => [])).filter((n) => n.endsWith('.tmp'))).toEqual([])
    })
  }, 30_000)

  it("leaves a day for later when compacting it would take the disk below the collector's --min-free", async (ctx) => {
    await onSmallDisk(ctx, '2m', async (mount) => {
      const dataDir = join(mount, 'data')
      // A day of 0.9 MB on a 2 MiB disk: room to compact it, but not beside the 1 MiB the collector keeps.
      await writePaddedDay(dataDir)
      const warnings: string[] = []
      const log = createLogger((line, level) => {
        if (level !== 'info') warnings.push(line)
      })
      const background = compactInBackground(dataDir, 100, log, undefined, undefined, 1024 * 1024)
      await expect
        .poll(() => warnings.join('\n'), { timeout: 10_000 })
        .toMatch(
          /compaction failed.*not enough free space to compact 2026-03-01: it takes about [\d.]+ MiB, [\d.]+ MiB free/,
        )
      expect(warnings.join('\n')).toMatch(/1\.0 MiB kept for events/)
      await background.stop()
      expect(await readdir(join(dataDir, 'compacted')).catch(() => [])).toEqual([])
    })
  }, 30_000)
})
