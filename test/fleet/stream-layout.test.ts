import { randomUUID } from 'node:crypto'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { partitionOf } from '@spoor/stream'
import { describe, expect, it } from 'vitest'
import { initStream, postServerBatch, publishedFiles, startSink, startStreamCollector } from '../support/fleet.js'
import { fleetTeardown } from '../support/fleet-teardown.js'
import { tempDir } from '../support/helpers.js'

const writeKey = 'fleet-key'
const { running, startCluster } = fleetTeardown()

/** Every published line a sink wrote to its `rejected/` log. */
async function rejectedText(dir: string) {
  const root = join(dir, 'rejected')
  let text = ''
  for (const entry of await readdir(root, { recursive: true }).catch(() => [] as string[]))
    if (entry.endsWith('.ndjson')) text += await readFile(join(root, entry), 'utf8')
  return text
}

const hour = 3_600_000
const nanos = (ms: number) => ms * 1_000_000

describe('the stream as spoor lays it out', () => {
  it('is created and updated by spoor stream init, and holds each event on its subject with its Nats-Msg-Id', async () => {
    const cluster = await startCluster()
    const nc = await connect({ servers: cluster.urls })
    try {
      const jsm = await jetstreamManager(nc)

      // The documented defaults, then a second run that changes two of them.
      expect(await initStream(cluster.servers)).toContain('stream SPOOR created, consumer spoor-sink created')
      let stream = (await jsm.streams.info('SPOOR')).config
      expect(stream).toMatchObject({
        subjects: ['spoor.events.>', 'spoor.rejected.>'],
        num_replicas: 3,
        max_age: nanos(72 * hour),
        max_bytes: 10 * 1024 ** 3,
        duplicate_window: nanos(10 * 60_000),
        retention: 'limits',
        discard: 'new',
      })
      expect((await jsm.consumers.info('SPOOR', 'spoor-sink')).config).toMatchObject({
        durable_name: 'spoor-sink',
        ack_policy: 'explicit',
        ack_wait: nanos(30_000),
      })
      expect(await initStream(cluster.servers, ['--max-age', '48h', '--ack-wait', '10s'])).toContain(
        'stream SPOOR updated, consumer spoor-sink updated',
      )
      stream = (await jsm.streams.info('SPOOR')).config
      expect(stream.max_age).toBe(nanos(48 * hour))
      expect((await jsm.consumers.info('SPOOR', 'spoor-sink')).config.ack_wait).toBe(nanos(10_000))

      // One event kept and one refused, through a collector.
      const dir = await tempDir('spoor-fleet-layout-')
      const config = join(dir, 'spoor.config.json')
      await writeFile(config, JSON.stringify({ sites: [{ writeKey, origins: [] }] }))
      const collector = await startStreamCollector(cluster.servers, config)
      running.push(collector)
      const kept = { type: 'track', event: 'Signed Up', anonymousId: 'visitor-7', messageId: randomUUID() }
      const refused = { type: 'track', anonymousId: 'visitor-7', messageId: randomUUID() }
      const { body } = await postServerBatch(collector.url, writeKey, [kept, refused])
      expect(JSON.parse(body)).toMatchObject({ accepted: 1, rejected: [{ index: 1 }] })

      const messages = []
      for (let seq = 1; seq <= (await jsm.streams.info('SPOOR')).state.last_seq; seq++) {
        const message = await jsm.streams.getMessage('SPOOR', { seq })
        if (message)
          messages.push({
            subject: message.subject,
            id: message.header?.get('Nats-Msg-Id'),
            text: message.string(),
          })
      }
      expect(messages).toHaveLength(2)
      // The collector publishes the kept and the refused at once: their order in the stream is not fixed.
      const event = messages.find((m) => m.subject.startsWith('spoor.events.'))
      const refusal = messages.find((m) => m.subject.startsWith('spoor.rejected.'))
      expect(event).toMatchObject({
        subject: `spoor.events.${writeKey}.${partitionOf('visitor-7')}`,
        id: `${writeKey}:${kept.messageId}`,
      })
      expect(JSON.parse(event!.text)).toMatchObject({ messageId: kept.messageId, writeKey })
      expect(refusal!.subject).toBe(`spoor.rejected.${writeKey}`)
      expect(JSON.parse(refusal!.text)).toMatchObject({ index: 1, raw: expect.stringContaining(refused.messageId) })

      // A sink writes both, each to its log, as the collector would have.
      const sinkDir = join(dir, 'sink')
      running.push(await startSink(cluster.servers, sinkDir))
      await expect
        .poll(async () => (await publishedFiles([sinkDir])).map((f) => f.text).join(''), { timeout: 30_000 })
        .toContain(kept.messageId)
      await expect.poll(() => rejectedText(sinkDir), { timeout: 30_000 }).toContain(refused.messageId)
    } finally {
      await nc.close()
    }
  })
})
