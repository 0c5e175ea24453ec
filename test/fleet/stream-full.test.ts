import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { initStream, postServerBatch, startStreamCollector } from '../support/fleet.js'
import { fleetTeardown } from '../support/fleet-teardown.js'
import { tempDir } from '../support/helpers.js'

const writeKey = 'fleet-key'
const { running, startCluster } = fleetTeardown()

const large = () => ({
  type: 'track',
  event: 'Viewed',
  anonymousId: 'visitor-1',
  messageId: randomUUID(),
  properties: { text: 'x'.repeat(30_000) },
})

describe('a collector whose stream is full', () => {
  it('stays not ready, saying so in its answers and once in its log, until the stream has room again, then takes events by itself', async () => {
    const cluster = await startCluster()
    const dir = await tempDir('spoor-fleet-full-')
    const config = join(dir, 'spoor.config.json')
    await writeFile(config, JSON.stringify({ sites: [{ writeKey, origins: [] }] }))
    await initStream(cluster.servers, ['--max-bytes', '300KB'])
    const collector = await startStreamCollector(cluster.servers, config, ['--publish-timeout', '1s'])
    running.push(collector)

    let status = 200
    for (let i = 0; i < 20 && status === 200; i++)
      status = (await postServerBatch(collector.url, writeKey, [large()])).status
    expect(status).toBe(503)

    await expect
      .poll(async () => ((await (await fetch(collector.url + '/readyz')).json()) as { reason?: string }).reason, {
        timeout: 10_000,
        interval: 250,
      })
      .toContain('the stream is full')
    // Every write would be refused: not ready at any moment, not merely after each refusal.
    const seen = new Set<number>()
    for (let i = 0; i < 12; i++) {
      const ready = await fetch(collector.url + '/readyz')
      seen.add(ready.status)
      await ready.body?.cancel()
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    expect([...seen]).toEqual([503])
    // Said once in the log, not once per refused request.
    expect(
      collector.output().match(/events are refused until the stream takes them: the stream is full/g),
    ).toHaveLength(1)

    await initStream(cluster.servers, ['--max-bytes', '10MB'])
    await expect
      .poll(async () => (await fetch(collector.url + '/readyz')).status, { timeout: 15_000, interval: 250 })
      .toBe(200)
    expect((await postServerBatch(collector.url, writeKey, [large()])).status).toBe(200)
    await expect.poll(() => collector.output(), { timeout: 5000 }).toContain('the stream takes events again')
  })
})
