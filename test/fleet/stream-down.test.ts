import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
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

const signedUp = (messageId: string) => ({ type: 'track', event: 'Signed Up', anonymousId: 'visitor-1', messageId })
const send = (url: string, messageId: string, event: object = signedUp(messageId)) =>
  postServerBatch(url, writeKey, [event])

describe('a collector whose stream is down', () => {
  it('answers 503 + Retry-After and is not ready while no server answers, and recovers by itself when they return, as a cart worker does', async () => {
    const cluster = await startCluster()
    const dir = await tempDir('spoor-fleet-down-')
    const config = join(dir, 'spoor.config.json')
    await writeFile(config, JSON.stringify({ sites: [{ writeKey, origins: [] }] }))
    await initStream(cluster.servers)
    const collector = await startStreamCollector(cluster.servers, config, ['--publish-timeout', '1s'])
    running.push(collector)
    const worker = await startSpoor(
      ['carts', '--follow', '--stream', cluster.servers, '--window', '1s', '--recover-within', '5s'],
      /caught up/,
    )
    running.push(worker)

    const before = randomUUID()
    expect((await send(collector.url, before)).status).toBe(200)
    expect((await fetch(collector.url + '/readyz')).status).toBe(200)

    for (const i of [0, 1, 2]) await cluster.kill(i)
    // Never a 2xx for an event the stream did not acknowledge.
    await expect.poll(async () => (await send(collector.url, randomUUID())).status, { timeout: 15_000 }).toBe(503)
    const refused = await send(collector.url, randomUUID())
    expect(refused.status).toBe(503)
    expect(Number(refused.retryAfter)).toBeGreaterThan(0)
    const ready = await fetch(collector.url + '/readyz')
    expect(ready.status).toBe(503)
    expect(ready.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(await ready.json()).toMatchObject({ status: 'not ready', reason: expect.stringMatching(/stream/) })

    // The servers come back on their stores; nobody restarts the collector.
    await Promise.all([0, 1, 2].map((i) => cluster!.start(i)))
    await cluster.ready()
    await expect
      .poll(async () => (await fetch(collector.url + '/readyz')).status, { timeout: 30_000, interval: 250 })
      .toBe(200)
    const after = randomUUID()
    await expect
      .poll(async () => (await send(collector.url, after)).status, { timeout: 15_000, interval: 250 })
      .toBe(200)

    // The cart worker, never restarted, follows the stream again: a cart left now is decided.
    const cart = {
      type: 'track',
      event: 'Product Added',
      anonymousId: 'visitor-2',
      messageId: randomUUID(),
      properties: {
        cart_id: 'cart-after',
        products: [{ product_id: 'tea', price: 12.5, quantity: 1 }],
        value: 12.5,
        currency: 'EUR',
      },
    }
    await expect
      .poll(async () => (await send(collector.url, cart.messageId, cart)).status, { timeout: 15_000, interval: 250 })
      .toBe(200)

    // Both acknowledged events were kept by the stream across the outage: a sink started now writes them.
    const sinkDir = join(dir, 'sink')
    running.push(await startSink(cluster.servers, sinkDir))
    const lines = async () =>
      (await publishedFiles([sinkDir])).flatMap((f) =>
        f.text
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l)),
      )
    await expect
      .poll(
        async () => {
          const ids = new Set((await lines()).map((l) => l.messageId))
          return [before, after].filter((id) => ids.has(id)).length
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(2)
    // A worker whose consumer the client could not recreate follows its partition afresh 5 s after the client said
    // so; on a loaded machine the client's word has come late: the bound is generous, the decision must come.
    await expect
      .poll(async () => (await lines()).filter((l) => l.event === 'Cart Abandoned').map((l) => l.properties.cart_id), {
        timeout: 60_000,
        interval: 250,
      })
      .toEqual(['cart-after'])
  })
})
