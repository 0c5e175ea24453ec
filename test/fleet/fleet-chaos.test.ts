import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  type FleetProcess,
  initStream,
  publishedFiles,
  startSink,
  startSpoor,
  startStreamCollector,
} from '../support/fleet.js'
import { fleetTeardown } from '../support/fleet-teardown.js'
import { basic, tempDir } from '../support/helpers.js'

const writeKey = 'fleet-key'
const { running, startCluster } = fleetTeardown()

/** Sends one batch to `urls[first]`, and on anything but a 2xx the same batch (same ids) to the next, as the SDK retries. */
async function deliver(urls: () => string[], first: number, batch: object[]): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const list = urls()
    const url = list[(first + attempt) % list.length]!
    try {
      // Basic auth: a server-side call, whose own agent (node) is not taken for a bot's.
      const response = await fetch(url + '/v1/batch', {
        method: 'POST',
        headers: { authorization: basic(writeKey) },
        body: JSON.stringify({ batch }),
      })
      await response.arrayBuffer()
      if (response.status === 200) return true
    } catch {
      // A collector killed mid-request: the same batch goes to the other one.
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return false
}

const track = (anonymousId: string) => ({
  type: 'track',
  event: 'Load',
  anonymousId,
  messageId: randomUUID(),
  properties: {},
})
const added = (cartId: string, anonymousId: string) => ({
  type: 'track',
  event: 'Product Added',
  anonymousId,
  messageId: randomUUID(),
  properties: {
    cart_id: cartId,
    products: [{ product_id: 'tea', price: 12.5, quantity: 1 }],
    value: 12.5,
    currency: 'EUR',
  },
})
const ordered = (cartId: string, anonymousId: string) => ({
  type: 'track',
  event: 'Order Completed',
  anonymousId,
  messageId: randomUUID(),
  properties: { cart_id: cartId, order_id: `order-${cartId}`, value: 12.5, currency: 'EUR' },
})

describe('a fleet on a 3-node JetStream cluster', () => {
  it('keeps every acknowledged event, once after dedupe, through the loss of a stream server, a collector and a sink', async () => {
    const cluster = await startCluster()
    const dir = await tempDir('spoor-fleet-')
    const config = join(dir, 'spoor.config.json')
    await writeFile(config, JSON.stringify({ sites: [{ writeKey, origins: [] }] }))
    // A short ack wait, so that the killed sink's unacknowledged messages go to the other within the test.
    await initStream(cluster.servers, ['--ack-wait', '3s', '--duplicate-window', '10m', '--max-bytes', '256MB'])

    const sinkDirs = [join(dir, 'sink-a'), join(dir, 'sink-b')]
    const collectors = await Promise.all([
      startStreamCollector(cluster.servers, config),
      startStreamCollector(cluster.servers, config),
    ])
    const sinks: FleetProcess[] = await Promise.all(sinkDirs.map((d) => startSink(cluster!.servers, d)))
    const cartArgs = (worker: string) => [
      'carts',
      '--follow',
      '--stream',
      cluster!.servers,
      '--worker',
      worker,
      '--window',
      '2s',
      '--recover-within',
      '10s',
    ]
    const workers = await Promise.all(['1/2', '2/2'].map((w) => startSpoor(cartArgs(w), /caught up/)))
    running.push(...collectors, ...sinks, ...workers)
    let urls = collectors.map((c) => c.url)

    // The same batch through one collector, then through the other: the stream stores it once.
    const retried = [track('retry-visitor'), track('retry-visitor')]
    expect(await deliver(() => [urls[0]!], 0, retried)).toBe(true)
    expect(await deliver(() => [urls[1]!], 0, retried)).toBe(true)

    // Carts: every visitor adds to a cart, half of them order; the other half are abandoned 2 s later.
    const cartVisitors = Array.from({ length: 40 }, (_, i) => ({
      anon: `cart-visitor-${i}`,
      cart: `cart-${i}`,
      orders: i % 2 === 0,
    }))
    const acked = new Set<string>()
    const cartsSent = await Promise.all(
      cartVisitors.map(async (v, i) => {
        const batch = [added(v.cart, v.anon), ...(v.orders ? [ordered(v.cart, v.anon)] : [])]
        const ok = await deliver(() => urls, i, batch)
        if (ok) for (const e of batch) acked.add(e.messageId)
        return ok
      }),
    )
    expect(cartsSent.every(Boolean)).toBe(true)

    // Load: unique ids from 8 senders; chaos at set counts of acknowledged events.
    const target = 6000
    let nodeKilled = false
    let collectorKilled = false
    let sinkKilled: Promise<void> | undefined
    const chaos = async () => {
      if (!nodeKilled && acked.size >= 1500) {
        nodeKilled = true
        // The stream's leader: its writes move to another node, and publishes under way must find it.
        await cluster!.kill(await cluster!.leaderOf('SPOOR'))
      }
      if (!collectorKilled && acked.size >= 3000) {
        collectorKilled = true
        // Requests in flight on it get no answer; their senders retry through the other collector.
        await collectors[1]!.stop('SIGKILL')
        urls = [collectors[0]!.url]
      }
      if (!sinkKilled && acked.size >= 4500) {
        // A supervisor restarts a killed sink on its own folder, which publishes what it left open.
        sinkKilled = sinks[1]!
          .stop('SIGKILL')
          .then(async () => void running.push((sinks[1] = await startSink(cluster!.servers, sinkDirs[1]!))))
      }
    }
    await Promise.all(
      Array.from({ length: 8 }, async (_, sender) => {
        for (let n = 0; acked.size < target; n++) {
          const batch = Array.from({ length: 10 }, () => track(`visitor-${sender}-${n % 50}`))
          if (await deliver(() => urls, sender + n, batch)) for (const e of batch) acked.add(e.messageId)
          await chaos()
        }
      }),
    )
    // All three losses happened during the load, the sink's too.
    expect(nodeKilled && collectorKilled).toBe(true)
    expect(sinkKilled).toBeDefined()
    await sinkKilled

    // Every acknowledged event reaches the published files of the sinks.
    const read = async () => {
      const files = await publishedFiles(sinkDirs)
      const lines = files.flatMap((f) => f.text.split('\n').filter(Boolean))
      return {
        files,
        lines: lines.map(
          (l) => JSON.parse(l) as { messageId: string; event: string; properties: { cart_id?: string } },
        ),
      }
    }
    await expect
      .poll(
        async () => {
          const { lines } = await read()
          const ids = new Set(lines.map((l) => l.messageId))
          return [...acked].filter((id) => !ids.has(id)).length
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBe(0)

    // The abandoned carts, each decided once.
    const abandonedCarts = cartVisitors
      .filter((v) => !v.orders)
      .map((v) => v.cart)
      .sort()
    await expect
      .poll(
        async () => {
          const { lines } = await read()
          return [...new Set(lines.filter((l) => l.event === 'Cart Abandoned').map((l) => l.properties.cart_id))].sort()
        },
        { timeout: 30_000, interval: 500 },
      )
      .toEqual(abandonedCarts)

    const { files, lines } = await read()
    // No partial line: every published file ends with a newline and every line is JSON (read() parsed them all).
    for (const file of files) expect(file.text.endsWith('\n'), file.path).toBe(true)
    const count = new Map<string, number>()
    for (const line of lines) count.set(line.messageId, (count.get(line.messageId) ?? 0) + 1)
    // After dedupe by messageId, each acknowledged event once; repeats come only from redelivery to a killed sink.
    const deduped = new Set(lines.map((l) => l.messageId))
    expect([...acked].every((id) => deduped.has(id))).toBe(true)
    // The batch sent through both collectors was stored once: one line each, not two.
    for (const event of retried) expect(count.get(event.messageId)).toBe(1)
    // Each abandoned cart has one decision (one messageId), whichever worker made it and however often.
    const decisions = new Map<string, Set<string>>()
    for (const line of lines.filter((l) => l.event === 'Cart Abandoned')) {
      const ids = decisions.get(line.properties.cart_id!) ?? new Set()
      ids.add(line.messageId)
      decisions.set(line.properties.cart_id!, ids)
    }
    for (const cart of abandonedCarts) expect(decisions.get(cart)?.size, cart).toBe(1)
    const repeats = [...count.values()].filter((n) => n > 1).length
    console.log(
      `fleet: ${acked.size} events acknowledged, ${lines.length} lines in ${files.length} files, ${repeats} ids repeated by redelivery`,
    )
  })
})
