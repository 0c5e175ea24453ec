import { jetstream, jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { describe, expect, it } from 'vitest'
import { initStream } from '../support/fleet.js'
import { fleetTeardown } from '../support/fleet-teardown.js'
import { runSpoor } from '../support/run-cli.js'

const { startCluster } = fleetTeardown()

describe('spoor stream init run again on a stream that holds events', () => {
  it('refuses a --max-bytes under what the stream holds, which servers would meet by dropping the oldest at once', async () => {
    const cluster = await startCluster()
    await initStream(cluster.servers)
    const nc = await connect({ servers: cluster.urls })
    try {
      const js = jetstream(nc)
      const line = JSON.stringify({ messageId: 'm', receivedAt: new Date().toISOString(), padding: 'x'.repeat(10_000) })
      for (let i = 0; i < 30; i++) await js.publish('spoor.events.fleet-key.0', line, { msgID: `fleet-key:m-${i}` })

      const run = await runSpoor(['stream', 'init', '--stream', cluster.servers, '--max-bytes', '100KB'])
      expect(run.code, run.stderr).toBe(1)
      expect(run.stderr).toMatch(/^spoor stream: .*more than --max-bytes 102400: the servers would drop/m)
      const jsm = await jetstreamManager(nc)
      const { config, state } = await jsm.streams.info('SPOOR')
      expect([config.max_bytes, state.messages, state.first_seq]).toEqual([10 * 1024 ** 3, 30, 1])

      // Room above what it holds is taken.
      expect(await initStream(cluster.servers, ['--max-bytes', '1MB'])).toContain('stream SPOOR updated')
      expect((await jsm.streams.info('SPOOR')).state.messages).toBe(30)
    } finally {
      await nc.close()
    }
  })
})
