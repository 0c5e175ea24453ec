import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { compactDays, timeRange } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'
import { runSpoor } from '../../../test/support/run-cli.js'

describe('spoor report', () => {
  it('says what it needs', async () => {
    const dir = await tempDir()
    const noOut = await runSpoor(['report', dir])
    expect(noOut.code).toBe(2)
    expect(noOut.stderr).toContain('--out FILE is required')
    const badDate = await runSpoor(['report', dir, '--out', '-', '--from', 'last week'])
    expect(badDate.code).toBe(2)
    expect(badDate.stderr).toContain('"last week" is not a date')
    const missing = await runSpoor(['report', join(dir, 'nope'), '--out', '-'])
    expect(missing.stderr).toContain('is not a folder')
  }, 30_000)

  it('writes a page even before any data, saying once per step what fills the empty panels', async () => {
    const dir = await tempDir()
    const out = join(dir, 'report.html')
    const run = await runSpoor(['report', dir, '--out', out, '--title', 'Empty <shop>'])
    expect(run.code).toBe(0)
    const [, sections] = /0 events, 0 of (\d+) sections filled/.exec(run.stderr) ?? []
    expect(Number(sections)).toBeGreaterThan(10)
    const html = await readFile(out, 'utf8')
    expect(html).toContain('<h1>Empty &lt;shop&gt;</h1>')
    // Every section but the three of a shop, which a site without shop data does not see at all.
    expect(html.match(/data-empty/g)).toHaveLength(Number(sections) - 3)
    expect(html).toContain('Use the full tag (spoor.full.js) to see time on page, scroll depth and page speed.')
    expect(html).not.toMatch(/<script|data-error|Fed by|data-section="funnel"/)
  }, 30_000)

  it("shows every funnel of the config's site, and names a site the config lacks", async () => {
    const dir = await tempDir()
    await writeDataFile(dir, '2026-03-01T10:00:00.000Z', [
      eventLine('a1', '2026-03-01T10:00:00.000Z', { anonymousId: 'ann', path: '/' }),
      eventLine('a2', '2026-03-01T10:01:00.000Z', { anonymousId: 'ann', path: '/pricing' }),
      eventLine('a3', '2026-03-01T10:02:00.000Z', { anonymousId: 'ann', event: 'Signed Up' }),
    ])
    const config = join(dir, 'spoor.config.json')
    const funnels = [
      { name: 'Pricing', steps: [{ page: '/' }, { page: '/pricing' }] },
      { name: 'Sign-up', steps: [{ page: '/pricing' }, { event: 'Signed Up' }, { page: '/welcome' }] },
    ]
    await writeFile(config, JSON.stringify({ sites: [{ writeKey: 'shop', funnels }] }))
    const out = join(dir, 'report.html')
    const range = ['--from', '2026-03-01', '--to', '2026-03-02']
    expect((await runSpoor(['report', dir, '--out', out, ...range, '--config', config])).code).toBe(0)
    const html = await readFile(out, 'utf8')
    expect(html).toContain('data-metric="site-funnel:Pricing:2" data-value="1"')
    expect(html).toContain('data-metric="site-funnel:Sign-up:2" data-value="1"')
    expect(html).toContain('data-metric="site-funnel:Sign-up:3" data-value="0"')
    const other = await runSpoor(['report', dir, '--out', out, '--site', 'blog', '--config', config])
    expect(other.code).toBe(2)
    expect(other.stderr).toContain(`--site blog is not a site of ${config}`)
  }, 30_000)

  it('says which compacted days an older version wrote, read from their files until compacted again', async () => {
    const dir = await tempDir()
    for (const day of ['2026-03-01', '2026-03-02'])
      await writeDataFile(dir, `${day}T10:00:00.000Z`, [
        eventLine(`m-${day}`, `${day}T10:00:00.000Z`, { anonymousId: 'ann' }),
      ])
    await compactDays({ dataDir: dir })
    const args = ['report', dir, '--out', join(dir, 'r.html'), '--from', '2026-03-01', '--to', '2026-03-02']
    expect((await runSpoor(args)).stderr).not.toContain('older version')
    for (const day of ['2026-03-01', '2026-03-02']) {
      const manifestFile = join(dir, 'compacted', `dt=${day}.json`)
      const manifest = JSON.parse(await readFile(manifestFile, 'utf8'))
      await writeFile(manifestFile, JSON.stringify({ ...manifest, visitsVersion: manifest.visitsVersion - 1 }))
    }
    // A report of another period reads neither day, and says nothing of them.
    const later = ['report', dir, '--out', join(dir, 'r.html'), '--from', '2026-04-01', '--to', '2026-04-02']
    expect((await runSpoor(later)).stderr).not.toContain('older version')
    const older = await runSpoor(args)
    expect(older.code).toBe(0)
    expect(older.stderr).toContain(
      `2 compacted day(s) (2026-03-01 to 2026-03-02) were written by an older version of spoor and are read from their NDJSON files, slowly; \`spoor compact ${dir}\` writes them again`,
    )
    expect(older.stderr).toContain('wrote ')
  }, 30_000)
})

describe('the report period', () => {
  it('reads dates and times, a bare --to date including its day, 30 days by default', () => {
    const now = new Date('2026-03-10T12:00:00Z')
    expect(timeRange('2026-03-01', '2026-03-02', now)).toEqual({
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-03T00:00:00Z'),
    })
    expect(timeRange(undefined, undefined, now)).toEqual({ from: new Date('2026-02-08T12:00:00Z'), to: now })
    expect(timeRange('2026-03-01T10:00:00Z', '2026-03-01T12:00:00+01:00', now).to).toEqual(
      new Date('2026-03-01T11:00:00Z'),
    )
    expect(() => timeRange('2026-03-02', '2026-03-01', now)).toThrow(/must come before/)
  }, 30_000)
})
