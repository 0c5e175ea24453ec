import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../../test/support/helpers.js'
import { listeningUrl, serveOnFreePort, spawnSpoor } from '../../../../test/support/run-cli.js'

/** Each row of the README's limits table with the `/metrics` series it names (`_limit` after `spoor_x` is `spoor_x_limit`). */
async function limitsTable() {
  const readme = await readFile(new URL('../../../../README.md', import.meta.url), 'utf8')
  const section = readme.split('### Limits: what input can grow, and where to watch it')[1]?.split('\n### ')[0] ?? ''
  const rows = section.split('\n').filter((line) => line.startsWith('|'))
  return rows.slice(2).map((row) => {
    const cells = row.split('|').slice(1, -1)
    const series: string[] = []
    let base = ''
    for (const [, name] of cells.at(-1)!.matchAll(/`([^`]+)`/g)) {
      const bare = name!.replace(/\{.*\}$/, '')
      if (bare.startsWith('spoor_')) series.push((base = bare))
      else if (bare.startsWith('_')) series.push(base + bare)
    }
    return { what: cells[0]!.trim(), series }
  })
}

describe("the README's limits are visible in /metrics", () => {
  it('spoor serve shows every series the limits table names', async () => {
    const rows = await limitsTable()
    expect(rows.length).toBeGreaterThanOrEqual(8)
    // Every limit of the running collector names where to watch it; the report is a command, with no /metrics.
    for (const row of rows.filter((r) => r.what !== 'the report')) expect(row.series, row.what).not.toEqual([])
    const named = rows.flatMap((row) => row.series)
    expect(named).toContain('spoor_dedupe_ids_limit')
    expect(named).toContain('spoor_rate_limit_key_buckets_limit')

    const dir = await tempDir()
    const config = join(dir, 'spoor.config.json')
    await writeFile(config, JSON.stringify({ sites: [{ writeKey: 'limits-key', origins: [] }] }))
    // Both rate limits on (the one per write key is off by default), so that each shows its buckets.
    const child = spawnSpoor([
      ...serveOnFreePort,
      ...['--data', join(dir, 'data'), '--config', config, '--min-free', '0', '--rate-limit-key', '1000/s'],
    ])
    const exited = new Promise((resolve) => child.on('exit', resolve))
    try {
      const url = await listeningUrl(child)
      // Counters show once they count: one event kept with a claimed wait out of range (clamped), one refused.
      const batch = [
        {
          type: 'track',
          event: 'E',
          anonymousId: 'a',
          originalTimestamp: '2026-01-01T00:00:00Z',
          sentAt: '2025-01-01T00:00:00Z',
        },
        { type: 'track', anonymousId: 'a' },
      ]
      const sent = await fetch(url + '/v1/batch', {
        method: 'POST',
        body: JSON.stringify({ writeKey: 'limits-key', batch }),
      })
      expect(sent.status, await sent.text()).toBe(200)
      const text = await (await fetch(url + '/metrics')).text()
      const shown = new Set(
        text
          .split('\n')
          .filter((line) => line && !line.startsWith('#'))
          .map((line) => line.split(/[{ ]/)[0]),
      )
      for (const { what, series } of rows)
        for (const name of series) expect(shown.has(name), `${what}: ${name}`).toBe(true)
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  }, 30_000)
})
