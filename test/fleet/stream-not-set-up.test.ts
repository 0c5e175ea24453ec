import { randomUUID } from 'node:crypto'
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { initStream, postServerBatch, startStreamCollector } from '../support/fleet.js'
import { fleetTeardown } from '../support/fleet-teardown.js'
import { tempDir } from '../support/helpers.js'
import { runSpoor } from '../support/run-cli.js'

const writeKey = 'fleet-key'
const { running, startCluster } = fleetTeardown()

describe('a fleet whose stream was never set up', () => {
  it('has collectors that say so and are not ready, and that take events by themselves once it is', async () => {
    const cluster = await startCluster()
    const dir = await tempDir('spoor-fleet-no-stream-')
    const config = join(dir, 'spoor.config.json')
    await writeFile(config, JSON.stringify({ sites: [{ writeKey, origins: [] }] }))
    const collector = await startStreamCollector(cluster.servers, config, ['--publish-timeout', '1s'])
    running.push(collector)

    // Not ready from its first answer: a load balancer sends it nothing it would refuse.
    const ready = await fetch(collector.url + '/readyz')
    expect(ready.status).toBe(503)
    expect(await ready.json()).toMatchObject({ reason: expect.stringContaining('spoor stream init') })
    expect(collector.output()).toContain('spoor stream init')
    const event = { type: 'track', event: 'Signed Up', anonymousId: 'visitor-1', messageId: randomUUID() }
    expect((await postServerBatch(collector.url, writeKey, [event])).status).toBe(503)

    await initStream(cluster.servers)
    await expect
      .poll(async () => (await fetch(collector.url + '/readyz')).status, { timeout: 15_000, interval: 250 })
      .toBe(200)
    expect((await postServerBatch(collector.url, writeKey, [event])).status).toBe(200)
  })

  it('has sinks and cart workers that stop with one line saying what to run, giving their data folder back', async () => {
    const cluster = await startCluster()
    const dataDir = await tempDir('spoor-fleet-no-stream-sink-')
    const sink = await runSpoor(['sink', '--stream', cluster.servers, '--data', dataDir, '--wait', '2s'])
    expect(sink.code, sink.stderr).toBe(1)
    expect(sink.stderr).toMatch(
      /^spoor sink: the stream SPOOR or its consumer spoor-sink did not answer .*spoor stream init/m,
    )
    expect(sink.stderr).not.toMatch(/TypeError|\n\s+at /)
    expect(await readdir(dataDir)).not.toContain('.spoor.lock')

    const worker = await runSpoor(['carts', '--follow', '--stream', cluster.servers, '--wait', '2s'])
    expect(worker.code, worker.stderr).toBe(1)
    expect(worker.stderr).toMatch(/^spoor carts: the stream SPOOR did not answer .*spoor stream init/m)
    expect(worker.stderr).not.toMatch(/TypeError|\n\s+at /)
  })

  it('is not made by stream init with more replicas than servers: it says why, in one line', async () => {
    const cluster = await startCluster()
    const run = await runSpoor(['stream', 'init', '--stream', cluster.servers, '--replicas', '5', '--wait', '3s'])
    expect(run.code, run.stderr).toBe(1)
    expect(run.stderr).toMatch(
      /^spoor stream: could not create or update the stream SPOOR .*--replicas 5 needs 5 servers/m,
    )
    expect(run.stderr).not.toMatch(/TypeError|\n\s+at /)
  })
})
