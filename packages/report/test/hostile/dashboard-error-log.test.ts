import { readdir, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { createApp, parseConfig, presentsToken } from '@spoor/collector'
import { createLogger, createNdjsonSink } from '@spoor/log'
import { compactDays, dashboard } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../../test/support/compacted-data.js'
import { tempDir } from '../../../../test/support/helpers.js'
import { openDb } from '../../src/duckdb.js'

const token = 'a-dashboard-token-of-24-chars+'
const config = parseConfig({ sites: [{ writeKey: 'shop', origins: [] }], dashboard: { token } })
const now = new Date('2026-03-01T12:00:00.000Z')
// What a visitor sent, which DuckDB quotes back when it fails to read it.
const sent = 'ada@example.com'

/**
 * A day compacted, then its Parquet file swapped for one whose `properties` column holds text a visitor sent instead of
 * JSON: DuckDB fails to read it as JSON, and its message quotes that text. Compacted at 11:00, so that the report's
 * cart run, which reads every cart visitor's properties, decides the hour since.
 */
async function dayDuckDbCannotRead() {
  const dataDir = await tempDir()
  await writeDataFile(dataDir, '2026-03-01T10:00:00.000Z', [
    eventLine('m1', '2026-03-01T10:00:00.000Z', { anonymousId: 'ann', path: '/' }),
  ])
  await compactDays({ dataDir, now: new Date('2026-03-01T11:00:00.000Z') })
  const folder = join(dataDir, 'compacted')
  const parquet = join(folder, (await readdir(folder)).find((name) => name.endsWith('.parquet'))!)
  const db = await openDb()
  try {
    await db.run(
      `COPY (SELECT * REPLACE ('${sent}' AS properties) FROM read_parquet('${parquet}')) TO '${parquet}.swap' (FORMAT parquet)`,
    )
  } finally {
    db.close()
  }
  await rename(`${parquet}.swap`, parquet)
  return dataDir
}

describe('/dashboard when DuckDB fails', () => {
  it('logs the kind of failure, never the event data DuckDB quotes', async () => {
    const dataDir = await dayDuckDbCannotRead()
    const lines: string[] = []
    const log = createLogger((line) => lines.push(line))
    const sink = createNdjsonSink({ dataDir })
    const app = createApp({
      config,
      sink,
      log,
      snippetPath: '/nonexistent',
      routes: [dashboard({ config, dataDir, presentsToken, now: () => now })],
    })
    const page = await app.request('/dashboard?period=today', { headers: { authorization: 'Bearer ' + token } })
    expect(page.status).toBe(500)
    expect(await page.text()).not.toContain(sent)
    const failed = lines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'request failed')
    expect(failed).toEqual([
      expect.objectContaining({
        level: 'error',
        path: '/dashboard',
        error: 'the report could not be built (Conversion Error)',
      }),
    ])
    expect(lines.join('\n')).not.toContain(sent)
    await sink.close()
  }, 30_000)
})
