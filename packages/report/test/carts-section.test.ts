import { buildReport } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'
import { sectionOf } from './report-of.js'

const minute = (m: number) => new Date(Date.UTC(2026, 2, 1, 10, m)).toISOString()
const track = (id: string, at: string, visitor: string, event: string, properties: object) =>
  JSON.stringify({ ...JSON.parse(eventLine(id, at, { anonymousId: visitor, event })), properties })

describe('the abandoned carts section', () => {
  it('lists the six latest abandoned carts, newest first, with their items and whether an order recovered them', async () => {
    const dataDir = await tempDir()
    // Seven carts, one a minute; cart i holds i + 1 teas and one cup. The window is the default hour.
    const lines = Array.from({ length: 7 }, (_, i) =>
      track(`add-${i}`, minute(i), `v${i}`, 'Product Added', {
        cart_id: `cart-${i}`,
        products: [
          { product_id: 'tea', price: 4, quantity: i + 1 },
          { product_id: 'cup', price: 9 },
        ],
        value: 4 * (i + 1) + 9,
        currency: 'EUR',
      }),
    )
    await writeDataFile(dataDir, minute(0), lines)
    // The newest cart's visitor orders it after its window closed: recovered.
    await writeDataFile(dataDir, minute(150), [
      track('order-6', minute(150), 'v6', 'Order Completed', {
        order_id: 'o6',
        cart_id: 'cart-6',
        products: [{ product_id: 'tea', price: 4, quantity: 7 }],
        value: 37,
        currency: 'EUR',
      }),
    ])
    const now = new Date(Date.UTC(2026, 2, 1, 20))
    const { html } = await buildReport({ dataDir, from: new Date(Date.UTC(2026, 2, 1)), to: now, now })
    const rows = [
      ...sectionOf(html, 'carts').matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td>[\s\S]*?class="pill (\w+)"/g),
    ]
    expect(rows.map(([, at, items, pill]) => [at, items, pill])).toEqual([
      ['2026-03-01 11:06', '8', 'good'],
      ['2026-03-01 11:05', '7', 'warn'],
      ['2026-03-01 11:04', '6', 'warn'],
      ['2026-03-01 11:03', '5', 'warn'],
      ['2026-03-01 11:02', '4', 'warn'],
      ['2026-03-01 11:01', '3', 'warn'],
    ])
  }, 30_000)
})
