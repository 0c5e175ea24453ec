import { createApp, parseConfig } from '@spoor/collector'
import { createNdjsonSink } from '@spoor/log'
import type { EventLine, EventSink } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { readLines, tempDir } from '../../../test/support/helpers.js'
import { runSpoor } from '../../../test/support/run-cli.js'
import { withCartDetector } from '../src/with-cart-detector.js'

const minute = 60_000
const config = parseConfig({ sites: [{ writeKey: 'shop-key', origins: [] }] })

/** A collector over `dataDir` that reads the time from `clock`, its cart detector checking it every 10 ms. */
async function startCollector(dataDir: string, clock: { now: number }) {
  const now = () => new Date(clock.now)
  const written: EventLine[] = []
  const files = createNdjsonSink({ dataDir, now })
  const recording: EventSink = {
    ...files,
    write: (lines, at) => files.write(lines, at).then(() => void written.push(...lines)),
  }
  const sink = withCartDetector(recording, {
    dataDir,
    windowMs: 30 * minute,
    now,
    tickMs: 10,
  })
  await sink.ready
  const app = createApp({ config, sink, snippetPath: '/nonexistent', now })
  const send = async (batch: object[]) => {
    const response = await app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify({ writeKey: 'shop-key', batch }),
    })
    expect(response.status).toBe(200)
  }
  const derived = () => written.filter((line) => line.event === 'Cart Abandoned' || line.event === 'Cart Recovered')
  /** Moves the clock and waits until the detector has written what that makes due (or 1 s of ticks). */
  const advance = async (to: number, expected: number) => {
    clock.now = to
    for (let i = 0; i < 100 && derived().length < expected; i++) await new Promise((resolve) => setTimeout(resolve, 10))
    return derived()
  }
  return { send, advance, derived, close: () => sink.close() }
}

// Server-library style events: `timestamp` is taken as the event time, so the test chooses it.
const cartEvent = (t: number, cartId: string, anonymousId: string) => ({
  type: 'track',
  event: 'Product Added',
  anonymousId,
  timestamp: new Date(t).toISOString(),
  properties: {
    cart_id: cartId,
    products: [{ product_id: 'tea', price: 12.5, quantity: 1 }],
    value: 12.5,
    currency: 'EUR',
  },
})
const order = (t: number, cartId: string, anonymousId: string) => ({
  type: 'track',
  event: 'Order Completed',
  anonymousId,
  timestamp: new Date(t).toISOString(),
  properties: { cart_id: cartId, order_id: `order-${cartId}`, value: 12.5, currency: 'EUR' },
})

describe('the cart detector inside the collector', () => {
  it('writes Cart Abandoned into the same files when the window closes, and Cart Recovered on a late order, across restarts', async () => {
    const dataDir = await tempDir()
    const t0 = Date.parse('2026-03-02T10:00:00.000Z')
    const clock = { now: t0 }

    const first = await startCollector(dataDir, clock)
    await first.send([cartEvent(t0, 'cart-a', 'anon-a'), cartEvent(t0 + 5 * minute, 'cart-b', 'anon-b')])
    expect(await first.advance(t0 + 29 * minute, 0)).toEqual([])
    const abandoned = await first.advance(t0 + 31 * minute, 1)
    expect(abandoned.map((l) => l.properties.cart_id)).toEqual(['cart-a'])
    await first.close()

    // Down past cart-b's window: the restarted detector finds it in the files and writes it once; cart-a is not
    // written again.
    const second = await startCollector(dataDir, clock)
    const afterRestart = await second.advance(t0 + 45 * minute, 1)
    expect(afterRestart.map((l) => l.properties.cart_id)).toEqual(['cart-b'])
    await second.send([order(t0 + 50 * minute, 'cart-a', 'anon-a')])
    const recovered = await second.advance(t0 + 51 * minute, 2)
    expect(recovered[1]).toMatchObject({
      event: 'Cart Recovered',
      properties: { cart_id: 'cart-a', order_id: 'order-cart-a' },
    })
    await second.close()

    const third = await startCollector(dataDir, clock)
    await third.advance(t0 + 120 * minute, 1)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(third.derived()).toEqual([])
    await third.close()

    const lines = await readLines(dataDir)
    const derived = lines.filter((l) => l.event === 'Cart Abandoned' || l.event === 'Cart Recovered')
    expect(derived.map((l) => `${l.event} ${l.properties.cart_id}`).sort()).toEqual([
      'Cart Abandoned cart-a',
      'Cart Abandoned cart-b',
      'Cart Recovered cart-a',
    ])
    expect(new Set(derived.map((l) => l.messageId)).size).toBe(3)

    // The batch command over the same files decides the same carts, under the same ids.
    const batch = await runSpoor([
      'carts',
      dataDir,
      '--window',
      '30m',
      '--now',
      new Date(t0 + 120 * minute).toISOString(),
    ])
    expect(batch.code).toBe(0)
    expect(batch.stderr).toMatch(/^2 abandoned, 1 recovered/)
    const printed = batch.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as EventLine)
    expect(printed.map((l) => l.messageId).sort()).toEqual(derived.map((l) => l.messageId).sort())

    // Decided as of before cart-b's window closed, it is not abandoned yet.
    const early = await runSpoor([
      'carts',
      dataDir,
      '--window',
      '30m',
      '--now',
      new Date(t0 + 20 * minute).toISOString(),
    ])
    expect(early.stderr).toMatch(/^0 abandoned, 0 recovered/)
  }, 30_000)
})
