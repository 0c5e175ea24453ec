import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { buildReport } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'
import { runSpoor } from '../../../test/support/run-cli.js'
import { firstDayKept } from '../src/commands/erase.js'

/** Every file under a folder, relative to it, sorted. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort()
}

/** Three arrival days of published events, a refused event on each, all compacted. */
async function threeDays() {
  const dataDir = await tempDir()
  for (const [day, visitor] of [
    ['2026-03-01', 'ann'],
    ['2026-03-02', 'ben'],
    ['2026-03-03', 'cy'],
  ] as const) {
    const at = `${day}T10:00:00.000Z`
    await writeDataFile(dataDir, at, [
      eventLine(`${visitor}-1`, at, { anonymousId: visitor, path: '/' }),
      eventLine(`${visitor}-2`, at, { anonymousId: visitor, path: '/tea' }),
    ])
    const rejected = join(dataDir, 'rejected', `dt=${day}`, 'hour=10')
    await mkdir(rejected, { recursive: true })
    await writeFile(join(rejected, 'refused.ndjson'), `{"reason":"bad","raw":"${visitor}@example.com"}\n`)
  }
  const compacted = await runSpoor(['compact', '--data', dataDir])
  expect(compacted.stdout).toMatch(/^compacted 3 day\(s\)/)
  return dataDir
}

describe('spoor erase --before / --older-than (retention)', () => {
  it('removes the days before the date everywhere: published and refused files, compacted days, visit summaries', async () => {
    const dataDir = await threeDays()
    const keptDay = await filesUnder(join(dataDir, 'events', 'dt=2026-03-03'))
    const keptBytes = await readFile(join(dataDir, 'events', 'dt=2026-03-03', 'hour=10', keptDay[0]!.slice(8)), 'utf8')

    const dry = await runSpoor(['erase', dataDir, '--before', '2026-03-03', '--dry-run'])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('would remove 2 day(s) before 2026-03-03: 2026-03-01 … 2026-03-02: 4 file(s)')
    expect(await filesUnder(join(dataDir, 'events'))).toHaveLength(3)

    const run = await runSpoor(['erase', dataDir, '--before', '2026-03-03'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('removed 2 day(s) before 2026-03-03: 2026-03-01 … 2026-03-02: 4 file(s)')
    const everything = await filesUnder(dataDir)
    // Nothing of the first two days is left anywhere, folders included; the third is as it was.
    expect(everything.filter((path) => /dt=2026-03-0[12]/.test(path))).toEqual([])
    expect(await readdir(join(dataDir, 'events'))).toEqual(['dt=2026-03-03'])
    expect(await readdir(join(dataDir, 'rejected'))).toEqual(['dt=2026-03-03'])
    expect(everything.filter((path) => path.startsWith('compacted/dt=') && path.endsWith('.json'))).toEqual([
      'compacted/dt=2026-03-03.json',
    ])
    expect(everything.some((path) => path.startsWith('compacted/visits/dt=2026-03-03.'))).toBe(true)
    expect(await readFile(join(dataDir, 'events', 'dt=2026-03-03', 'hour=10', keptDay[0]!.slice(8)), 'utf8')).toBe(
      keptBytes,
    )

    // The report over all of it counts the kept day's events, read from its compacted day.
    const now = new Date('2026-03-04T00:00:00.000Z')
    const report = await buildReport({ dataDir, from: new Date('2026-02-01T00:00:00.000Z'), to: now, now })
    expect(report.events).toBe(2)
    // A second run finds nothing more.
    expect((await runSpoor(['erase', dataDir, '--before', '2026-03-03'])).stdout).toContain('removed 0 day(s)')
  }, 60_000)

  it('leaves a file still being written, and says so with exit code 3', async () => {
    const dataDir = await tempDir()
    const at = '2026-03-01T10:00:00.000Z'
    await writeDataFile(dataDir, at, [eventLine('a-1', at, { anonymousId: 'ann' })])
    const open = await writeDataFile(
      dataDir,
      '2026-03-01T11:00:00.000Z',
      [eventLine('a-2', at, { anonymousId: 'ann' })],
      true,
    )
    const run = await runSpoor(['erase', dataDir, '--older-than', '30d'])
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('1 file(s)')
    expect(run.stdout).toContain(`still being written, not erased yet: ${relative(dataDir, open)}`)
    expect(await filesUnder(join(dataDir, 'events'))).toEqual([relative(join(dataDir, 'events'), open)])
    await rm(open)
    expect((await runSpoor(['erase', dataDir, '--older-than', '30d'])).code).toBe(0)
    expect(await readdir(join(dataDir, 'events'))).toEqual([])
  }, 60_000)

  it('refuses a day after today, an impossible day, an age under a day, and a person with an age', async () => {
    const dataDir = await tempDir()
    const cases: [string[], string][] = [
      [['--before', '2026-02-30'], '--before: "2026-02-30" is not a date'],
      [['--before', '9999-01-01'], '--before 9999-01-01 is after today'],
      [['--older-than', '12h'], '--older-than must be at least 1d'],
      [['--older-than', 'a year'], '--older-than: "a year" is not a duration'],
      [['--older-than', '30d', '--before', '2026-01-01'], 'give one of --older-than and --before'],
      [['--older-than', '30d', '--user', 'ada'], 'erase one person or the days before a date'],
    ]
    for (const [args, message] of cases) {
      const run = await runSpoor(['erase', dataDir, ...args])
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr).toContain(message)
    }
  }, 60_000)

  it('keeps a day until all of it is older than the age', () => {
    const now = new Date('2026-12-07T15:00:00.000Z')
    // 30 days before is 7 November, 15:00: the 6th ended before it, the 7th did not.
    expect(firstDayKept('30d', undefined, now)).toBe('2026-11-07')
    expect(firstDayKept('1d', undefined, new Date('2026-12-07T00:00:00.000Z'))).toBe('2026-12-06')
    expect(firstDayKept(undefined, '2026-12-07', now)).toBe('2026-12-07')
  })
})
