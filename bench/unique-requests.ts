// Requests whose ids are all new: a repeated messageId is skipped by the collector's dedupe without being written,
// so a benchmark that resends bodies measures a collector that does not write. Bodies are made from a template
// with the request's number spliced in, so that making them costs the load generator next to nothing.
import { randomBytes } from 'node:crypto'

/** Events per batch in the benchmarks' batch POSTs. */
export const batchEvents = 20

// Unique to this load generator, so that two runs against one data folder would not share ids either.
const run = randomBytes(4).toString('hex')
const slot = '@@n@@'
let counter = 0

/** One visitor adding to their cart: the whole cart on every event, as the cart detector requires. */
const event = (i: number, time: string) => ({
  type: 'track',
  event: 'Product Added',
  messageId: `${slot}-${i}`,
  anonymousId: slot,
  properties: {
    cart_id: slot,
    product_id: 'p-1',
    name: 'Linen shirt',
    price: 49.5,
    quantity: 1,
    currency: 'EUR',
    value: 49.5,
    products: [{ product_id: 'p-1', name: 'Linen shirt', price: 49.5, quantity: 1 }],
  },
  context: {
    page: {
      path: '/shop/linen-shirt',
      url: 'https://shop.example/shop/linen-shirt',
      title: 'Linen shirt',
      referrer: '',
    },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    locale: 'en-GB',
    timezone: 'Europe/Paris',
    library: { name: 'spoor', version: '0.1.0' },
  },
  originalTimestamp: time,
})

const time = new Date().toISOString()
const batchParts = JSON.stringify({
  writeKey: 'bench-key',
  sentAt: time,
  batch: Array.from({ length: batchEvents }, (_, i) => event(i, time)),
}).split(slot)

/**
 * A batch of {@link batchEvents} events from a visitor and cart never seen before, every messageId new
 * (`<run>-<request>-<index>`).
 */
export const nextBatchBody = (): string => batchParts.join(`${run}-${++counter}`)

/** A pixel GET's path from a visitor never seen before (the collector gives each pixel a messageId of its own). */
export const nextPixelPath = (): string => {
  const n = ++counter
  return `/p.gif?k=bench-key&e=Email%20Opened&campaign_id=c${n % 100}&email_id=e${n}&aid=${run}-${n}`
}
