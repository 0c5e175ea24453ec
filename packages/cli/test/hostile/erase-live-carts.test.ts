import { withCartDetector } from '@spoor/carts'
import { createApp, parseConfig } from '@spoor/collector'
import { createNdjsonSink } from '@spoor/log'
import type { EventLine, EventSink } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../../test/support/helpers.js'
import { runSpoor } from '../../../../test/support/run-cli.js'

const minute = 60_000
const config = parseConfig({ sites: [{ writeKey: 'shop-key', origins: [] }] })

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

describe('an erasure reaches a running collector', () => {
  it('makes its cart detector forget the person, so no Cart Abandoned is written for them afterwards', async () => {
    const dataDir = await tempDir()
    const t0 = Date.parse('2026-06-01T10:00:00Z')
    const clock = { now: t0 }
    const written: EventLine[] = []
    const files = createNdjsonSink({ dataDir, maxFileAgeMs: 10 })
    const recording: EventSink = {
      ...files,
      write: (lines, at) => files.write(lines, at).then(() => void written.push(...lines)),
    }
    const sink = withCartDetector(recording, {
      dataDir,
      windowMs: 30 * minute,
      now: () => new Date(clock.now),
      tickMs: 10,
    })
    await sink.ready
    const app = createApp({ config, sink, snippetPath: '/nonexistent' })
    const batch = [
      cartEvent(t0, 'cart-erased', 'anon-erased'),
      cartEvent(t0, 'cart-kept', 'anon-kept'),
      {
        type: 'identify',
        anonymousId: 'anon-erased',
        userId: 'erin',
        traits: { email: 'erin@example.com' },
        timestamp: new Date(t0).toISOString(),
      },
    ]
    expect(
      (await app.request('/v1/batch', { method: 'POST', body: JSON.stringify({ writeKey: 'shop-key', batch }) }))
        .status,
    ).toBe(200)

    const erased = await runSpoor(['erase', dataDir, '--email', 'erin@example.com'])
    expect([0, 3], erased.stderr).toContain(erased.code)

    clock.now = t0 + 31 * minute
    const abandoned = () =>
      written.filter((line) => line.event === 'Cart Abandoned').map((line) => line.properties.cart_id)
    await expect.poll(abandoned, { timeout: 5000 }).toEqual(['cart-kept'])
    await sink.close()
    expect(abandoned()).toEqual(['cart-kept'])
  }, 60_000)
})
