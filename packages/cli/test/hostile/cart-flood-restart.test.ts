import type { ChildProcess } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../../test/support/helpers.js'
import { flood, floodConfig, floodKey, heapMb, metric, residentMemory, serveSmallHeap } from './small-heap-serve.js'

// 30,000 carts of 8 KB: 240 MB of contents if the detector held them all, past the 256 MB heap (a detector without
// limits died at about 28,000). 50 carts a batch keeps each body within the 500 KB a batch may weigh.
const carts = 30_000
const perBatch = 50
// The heap's 256 MB and room for the rest (a bounded run peaked at 272 MB).
const rssBound = 350 * 1024 * 1024
// A browser's agent: a request the collector flags as a bot neither fills carts nor keeps them alive.
const browser = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 Safari/537.36',
}

/** A batch of `Product Added` events, each for a new cart holding one product with an 8 KB name of its own. */
const cartBatch = (batch: number) =>
  JSON.stringify({
    writeKey: floodKey,
    batch: Array.from({ length: perBatch }, (_, j) => {
      const i = batch * perBatch + j
      return {
        type: 'track',
        event: 'Product Added',
        anonymousId: `visitor-${i}`,
        properties: {
          cart_id: `cart-${i}`,
          products: [{ product_id: `p-${i}`, name: `${i}-${'n'.repeat(8 * 1024)}`, price: 1, quantity: 1 }],
        },
      }
    }),
  })

describe('spoor serve under a flood of new carts', () => {
  it(`refuses carts past its limits, stays up after ${carts} carts of 8 KB, and replays them on restart (${heapMb} MB heap)`, async () => {
    const dir = await tempDir()
    const dataDir = join(dir, 'data')
    const config = await floodConfig(dir)
    const started: ChildProcess[] = []
    try {
      const first = await serveSmallHeap(dataDir, config)
      started.push(first.child)
      await first.logged('cart detector ready')
      const floodAt = Date.now()
      await flood(carts / perBatch, 4, first.stderr, (b) =>
        fetch(first.url + '/v1/batch', { method: 'POST', headers: browser, body: cartBatch(b) }),
      )
      const seconds = (Date.now() - floodAt) / 1000

      expect((await fetch(first.url + '/healthz')).status, first.stderr()).toBe(200)
      const held = await metric(first.url, 'spoor_carts_held')
      const refused = await metric(first.url, 'spoor_carts_refused')
      expect(refused).toBeGreaterThan(0)
      expect(held + refused).toBe(carts)
      expect(await metric(first.url, 'spoor_cart_bytes_held')).toBeLessThanOrEqual(64 * 1024 * 1024)
      const memory = await residentMemory(first.child.pid!)
      expect(memory.peak).toBeLessThan(rssBound)
      first.child.kill('SIGTERM')
      expect(await first.exited).toBe(0)

      // The files now hold every cart: the restart replays them all into the detector, within the same limits.
      const restartedAt = Date.now()
      const second = await serveSmallHeap(dataDir, config)
      started.push(second.child)
      const { replayed } = await second.logged('cart detector ready')
      const replaySeconds = (Date.now() - restartedAt) / 1000
      expect(replayed).toBe(carts)
      expect((await fetch(second.url + '/healthz')).status, second.stderr()).toBe(200)
      expect(await metric(second.url, 'spoor_carts_held')).toBe(held)
      expect(await metric(second.url, 'spoor_carts_refused')).toBeGreaterThan(0)
      const replayMemory = await residentMemory(second.child.pid!)
      expect(replayMemory.peak).toBeLessThan(rssBound)
      console.log(
        JSON.stringify({
          carts,
          seconds,
          held,
          refused,
          peak: memory.peak,
          replayed,
          replaySeconds,
          replayPeak: replayMemory.peak,
        }),
      )
      second.child.kill('SIGTERM')
      expect(await second.exited).toBe(0)
    } finally {
      // A process a failed check left running (one that exited is not signalled again).
      for (const child of started) child.kill('SIGKILL')
      await rm(dir, { recursive: true, force: true })
    }
  }, 90_000)
})
