import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { initStream, postServerBatch, startStreamCollector } from '../support/fleet.js'
import { fleetTeardown } from '../support/fleet-teardown.js'
import { tempDir } from '../support/helpers.js'

const writeKey = 'fleet-key'
const { running, startCluster } = fleetTeardown()

const send = (url: string) =>
  postServerBatch(url, writeKey, [{ type: 'track', event: 'Signed Up', anonymousId: 'v', messageId: randomUUID() }])

describe('a collector whose stream is reachable but does not acknowledge', () => {
  it('answers 503 + Retry-After, never 2xx, while the stream has lost its quorum, and recovers by itself', async () => {
    const cluster = await startCluster()
    const dir = await tempDir('spoor-fleet-quorum-')
    const config = join(dir, 'spoor.config.json')
    await writeFile(config, JSON.stringify({ sites: [{ writeKey, origins: [] }] }))
    await initStream(cluster.servers)
    // The collector knows only the server that will stay, so its connection holds while the other two are gone.
    const leader = await cluster.leaderOf('SPOOR')
    const gone = [leader, (leader + 1) % 3]
    const stays = (leader + 2) % 3
    const collector = await startStreamCollector(cluster.urls[stays]!, config, ['--publish-timeout', '1s'])
    running.push(collector)
    expect((await send(collector.url)).status).toBe(200)

    // Two of three servers gone: the one left still holds the connection, but no write can reach a quorum.
    for (const i of gone) await cluster.kill(i)
    // Still connected, so nothing is refused up front: the first answer is the publish that got no PubAck.
    expect((await fetch(collector.url + '/readyz')).status).toBe(200)
    const answers = [await send(collector.url), await send(collector.url), await send(collector.url)]
    for (const answer of answers) {
      expect(answer.status, answer.body).toBe(503)
      expect(Number(answer.retryAfter)).toBeGreaterThan(0)
    }
    const ready = await fetch(collector.url + '/readyz')
    expect(ready.status).toBe(503)
    expect(await ready.json()).toMatchObject({
      status: 'not ready',
      reason: expect.stringMatching(/the stream did not acknowledge a write/),
    })

    // The servers come back; nobody restarts the collector.
    for (const i of gone) await cluster.start(i)
    await cluster.ready()
    await expect
      .poll(async () => (await fetch(collector.url + '/readyz')).status, { timeout: 30_000, interval: 250 })
      .toBe(200)
    await expect.poll(async () => (await send(collector.url)).status, { timeout: 15_000, interval: 250 }).toBe(200)
  })
})
