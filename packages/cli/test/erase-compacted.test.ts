import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { buildReport } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { ndjsonFiles, tempDir } from '../../../test/support/helpers.js'
import { runSpoor } from '../../../test/support/run-cli.js'

/** Every row of the compacted days' Parquet files (or of their visit summaries, in `visits`), as text. */
async function parquetRows(dataDir: string, within = ''): Promise<string[]> {
  const folder = join(dataDir, 'compacted', within)
  const files = (await readdir(folder)).filter((name) => name.endsWith('.parquet'))
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  const list = files.map((name) => `'${join(folder, name)}'`).join(', ')
  const reader = await connection.runAndReadAll(`SELECT to_json(p)::VARCHAR AS row FROM read_parquet([${list}]) p`)
  connection.closeSync()
  return reader.getRowObjectsJS().map((row) => String(row.row))
}

describe('spoor compact and spoor erase', () => {
  it('erasing a person removes them from the compacted days too, which are rebuilt from the rewritten files', async () => {
    const dataDir = await tempDir()
    await writeDataFile(dataDir, '2026-03-01T10:00:00.000Z', [
      eventLine('m1', '2026-03-01T10:00:00.000Z', { anonymousId: 'dev-ada', path: '/' }),
      eventLine('m2', '2026-03-01T10:01:00.000Z', {
        anonymousId: 'dev-ada',
        userId: 'ada',
        traits: { email: 'ada@example.com' },
      }),
      eventLine('m3', '2026-03-01T10:02:00.000Z', { anonymousId: 'dev-bob', path: '/tea' }),
    ])
    await writeDataFile(dataDir, '2026-03-02T08:00:00.000Z', [
      eventLine('m4', '2026-03-02T08:00:00.000Z', { anonymousId: 'dev-ada', userId: 'ada', path: '/orders' }),
    ])
    await writeDataFile(dataDir, '2026-03-02T09:00:00.000Z', [
      eventLine('m5', '2026-03-02T09:00:00.000Z', { anonymousId: 'dev-cy', path: '/' }),
    ])
    const compacted = await runSpoor(['compact', '--data', dataDir])
    expect(compacted.stderr).toBe('')
    expect(compacted.stdout).toMatch(/^compacted 2 day\(s\), 0 unchanged/)
    expect((await parquetRows(dataDir)).filter((row) => row.includes('ada'))).toHaveLength(3)
    // Her visits on both days, by her device's id.
    expect((await parquetRows(dataDir, 'visits')).filter((row) => row.includes('dev-ada'))).toHaveLength(2)
    expect((await runSpoor(['compact', dataDir])).stdout).toMatch(/^compacted 0 day\(s\), 2 unchanged/)

    const erased = await runSpoor(['erase', dataDir, '--user', 'ada'])
    expect(erased.code).toBe(0)
    expect(erased.stdout).toContain('compacted days rebuilt without them: 2026-03-01, 2026-03-02')
    const lines = (await Promise.all((await ndjsonFiles(dataDir)).map((path) => readFile(path, 'utf8')))).join('')
    const rows = await parquetRows(dataDir)
    expect(lines).not.toContain('ada')
    expect(rows.filter((row) => row.includes('ada'))).toEqual([])
    expect((await parquetRows(dataDir, 'visits')).filter((row) => row.includes('ada'))).toEqual([])
    expect(rows.map((row) => JSON.parse(row).messageId).sort()).toEqual(['m3', 'm5'])
    const now = new Date('2026-03-03T00:00:00.000Z')
    const report = await buildReport({ dataDir, from: new Date('2026-03-01T00:00:00.000Z'), to: now, now })
    expect(report.events).toBe(2)
  }, 60_000)
})
