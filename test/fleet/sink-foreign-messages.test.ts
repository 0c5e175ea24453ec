import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { jetstream, jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { describe, expect, it } from 'vitest'
import {
  initStream,
  postServerBatch,
  publishedFiles,
  startSink,
  startSpoor,
  startStreamCollector,
} from '../support/fleet.js'
import { fleetTeardown } from '../support/fleet-teardown.js'
import { tempDir } from '../support/helpers.js'

const writeKey = 'fleet-key'
const { running, startCluster } = fleetTeardown()

describe('messages on the stream that are not event lines', () => {
  it('are dropped by a sink, which says so and goes on writing the events after them', async () => {
    const cluster = await startCluster()
    const dir = await tempDir('spoor-fleet-foreign-')
    const config = join(dir, 'spoor.config.json')
    await writeFile(config, JSON.stringify({ sites: [{ writeKey, origins: [] }] }))
    await initStream(cluster.servers)
    const sinkDir = join(dir, 'sink')
    const sink = await startSink(cluster.servers, sinkDir)
    const collector = await startStreamCollector(cluster.servers, config)
    running.push(sink, collector)

    // Any client of the servers can publish on the stream's subjects: a bug, a test run against production, a tool.
    const nc = await connect({ servers: cluster.urls })
    try {
      const js = jetstream(nc)
      const foreign = ['not json', '{}', '"a string"', '[1]', '{"receivedAt": 5}', '{"receivedAt": "soon"}']
      for (const body of foreign) await js.publish(`spoor.events.${writeKey}.0`, body)
      await js.publish(`spoor.rejected.${writeKey}`, '{"reason": "no time"}')

      const messageId = randomUUID()
      const event = { type: 'track', event: 'Signed Up', anonymousId: 'visitor-1', messageId }
      expect((await postServerBatch(collector.url, writeKey, [event])).status).toBe(200)
      await expect
        .poll(async () => (await publishedFiles([sinkDir])).some((f) => f.text.includes(messageId)), {
          timeout: 20_000,
          interval: 250,
        })
        .toBe(true)
      expect(sink.output()).not.toMatch(/TypeError/)
      expect(sink.output().match(/dropped a message that is not an event line/g)).toHaveLength(foreign.length + 1)
      // Nothing waits to be delivered again, to this sink or another.
      const jsm = await jetstreamManager(nc)
      await expect
        .poll(async () => (await jsm.consumers.info('SPOOR', 'spoor-sink')).num_ack_pending, { timeout: 10_000 })
        .toBe(0)
    } finally {
      await nc.close()
    }
  })

  it('are skipped by a cart worker, which says so rather than blame its publishing', async () => {
    const cluster = await startCluster()
    await initStream(cluster.servers)
    const worker = await startSpoor(['carts', '--follow', '--stream', cluster.servers], /caught up/)
    running.push(worker)
    const nc = await connect({ servers: cluster.urls })
    try {
      const js = jetstream(nc)
      for (const body of ['not json', 'null']) await js.publish(`spoor.events.${writeKey}.0`, body)
    } finally {
      await nc.close()
    }
    await expect
      .poll(() => worker.output().match(/skipped a message that is not an event line/g)?.length, { timeout: 10_000 })
      .toBe(2)
    expect(worker.output()).not.toContain('could not publish cart decisions')
  })
})
