import { buildReport, compactDays } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../test/support/compacted-data.js'
import { tempDir } from '../../../test/support/helpers.js'
import { abandonedId } from '../../carts/src/derived-id.js'
import { sectionOf } from './report-of.js'

const minute = (m: number) => new Date(Date.UTC(2026, 2, 1, 10, m)).toISOString()
const rowsOf = (html: string) =>
  [...sectionOf(html, 'carts').matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td>[\s\S]*?class="pill (\w+)"/g)].map(
    ([, at, items, pill]) => [at, items, pill],
  )
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
    expect(rowsOf(html)).toEqual([
      ['2026-03-01 11:06', '8', 'good'],
      ['2026-03-01 11:05', '7', 'warn'],
      ['2026-03-01 11:04', '6', 'warn'],
      ['2026-03-01 11:03', '5', 'warn'],
      ['2026-03-01 11:02', '4', 'warn'],
      ['2026-03-01 11:01', '3', 'warn'],
    ])
  }, 30_000)

  it('shows the same six carts in one order when more were abandoned in the same second, from files or compacted', async () => {
    const dataDir = await tempDir()
    // Nine carts whose last activity is the same moment; cart i holds i + 1 teas, which tells the rows apart.
    const at = minute(0)
    const lines = Array.from({ length: 9 }, (_, i) =>
      track(`add-${i}`, at, `v${i}`, 'Product Added', {
        cart_id: `cart-${i}`,
        products: [{ product_id: 'tea', price: 4, quantity: i + 1 }],
        value: 4 * (i + 1),
        currency: 'EUR',
      }),
    )
    await writeDataFile(dataDir, at, lines)
    // The tie is broken by the decisions' messageIds, which are a function of the site, the cart and the moment.
    const expected = Array.from({ length: 9 }, (_, i) => ({ id: abandonedId('shop', `cart-${i}`, at), items: i + 1 }))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, 6)
      .map(({ items }) => ['2026-03-01 11:00', String(items), 'warn'])
    const now = new Date(Date.UTC(2026, 2, 2, 20))
    const report = async () =>
      rowsOf((await buildReport({ dataDir, from: new Date(Date.UTC(2026, 2, 1)), to: now, now })).html)
    expect(await report()).toEqual(expected)
    expect((await compactDays({ dataDir, now })).compacted).toHaveLength(1)
    expect(await report()).toEqual(expected)
  }, 30_000)

  it("lists only the collector's own decisions, as its counts do, not a sender's event of the same name", async () => {
    const dataDir = await tempDir()
    await writeDataFile(dataDir, minute(0), [
      track('add', minute(0), 'v1', 'Product Added', {
        cart_id: 'cart-1',
        products: [{ product_id: 'tea', price: 4, quantity: 2 }],
        value: 8,
        currency: 'EUR',
      }),
      // A shop's backend with an abandonment of its own, later than the collector's decision.
      track('theirs', minute(59), 'v2', 'Cart Abandoned', { cart_id: 'cart-2', value: 99, currency: 'EUR' }),
    ])
    const now = new Date(Date.UTC(2026, 2, 1, 20))
    const { html } = await buildReport({ dataDir, from: new Date(Date.UTC(2026, 2, 1)), to: now, now })
    expect(rowsOf(html)).toEqual([['2026-03-01 11:00', '2', 'warn']])
    expect(sectionOf(html, 'carts')).toContain('data-metric="carts-abandoned-value" data-value="8"')
  }, 30_000)
})
