import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  type FleetProcess,
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

const cartEvent = (event: string, cartId: string, anonymousId: string, extra: object = {}) => ({
  type: 'track',
  event,
  anonymousId,
  messageId: randomUUID(),
  properties: { cart_id: cartId, products: [{ product_id: 'tea', price: 12.5, quantity: 1 }], value: 12.5, ...extra },
})

/** The `carts` decisions a worker logged: how many carts it abandoned, one entry per decision it published. */
const decisionsLogged = (worker: FleetProcess) =>
  worker
    .output()
    .split('\n')
    .filter((line) => line.includes('"msg":"carts"'))
    .map((line) => (JSON.parse(line) as { abandoned: number }).abandoned)

describe('a cart worker restarted', () => {
  it('rebuilds its carts from the stream, orders included, and does not decide again what was decided', async () => {
    const cluster = await startCluster()
    const dir = await tempDir('spoor-fleet-carts-')
    const config = join(dir, 'spoor.config.json')
    await writeFile(config, JSON.stringify({ sites: [{ writeKey, origins: [] }] }))
    await initStream(cluster.servers)
    const collector = await startStreamCollector(cluster.servers, config)
    const sinkDir = join(dir, 'sink')
    running.push(collector, await startSink(cluster.servers, sinkDir))
    const worker = () =>
      startSpoor(
        ['carts', '--follow', '--stream', cluster!.servers, '--window', '4s', '--recover-within', '20s'],
        /caught up/,
      )
    const send = async (batch: object[]) => {
      const { status, body } = await postServerBatch(collector.url, writeKey, batch)
      expect(status, body).toBe(200)
    }
    const abandoned = async () =>
      (await publishedFiles([sinkDir]))
        .flatMap((f) => f.text.split('\n').filter(Boolean))
        .map((l) => JSON.parse(l) as { event: string; properties: { cart_id?: string } })
        .filter((l) => l.event === 'Cart Abandoned')
        .map((l) => l.properties.cart_id)
        .sort()

    // The first worker sees the carts arrive, and is killed before their window closes.
    const first = await worker()
    running.push(first)
    await send([
      cartEvent('Product Added', 'cart-left', 'visitor-left'),
      cartEvent('Product Added', 'cart-ordered', 'visitor-ordered'),
      cartEvent('Order Completed', 'cart-ordered', 'visitor-ordered', { order_id: 'order-1', currency: 'EUR' }),
    ])
    await first.stop('SIGKILL')
    expect(decisionsLogged(first)).toEqual([])

    // Its successor knows the carts only from the stream: it abandons the one left, not the one ordered.
    const second = await worker()
    running.push(second)
    await expect.poll(abandoned, { timeout: 30_000, interval: 250 }).toEqual(['cart-left'])
    expect(decisionsLogged(second)).toEqual([1])

    // A third worker reads that decision back from the stream and does not make it again: by the time it has
    // decided a cart left after its start, it has decided nothing else.
    await second.stop('SIGKILL')
    const third = await worker()
    running.push(third)
    await send([cartEvent('Product Added', 'cart-later', 'visitor-later')])
    await expect.poll(abandoned, { timeout: 30_000, interval: 250 }).toEqual(['cart-later', 'cart-left'])
    await expect.poll(() => decisionsLogged(third), { timeout: 10_000 }).toEqual([1])
  })
})
