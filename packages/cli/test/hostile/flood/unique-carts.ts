// Run in a process of its own with a small heap: cart events with a new cart_id each and 8 KB of products, as a
// stranger can send them with a site's public key, fed to the cart detector (a replay of the files on restart
// feeds it the same way). Prints what it holds once the flood is over.
import { createCartDetector } from '@spoor/carts'

const events = Number(process.argv[2] ?? 60_000)
const detector = createCartDetector({ windowMs: 3_600_000 })
const start = Date.parse('2026-06-01T10:00:00Z')
for (let i = 0; i < events; i++) {
  // A flat string of its own each time (String#repeat would share one).
  const products = [
    { product_id: `p-${i}`, name: Buffer.alloc(8 * 1024, 97 + (i % 26)).toString() + i, price: 1, quantity: 1 },
  ]
  detector.observe({
    messageId: `m-${i}`,
    type: 'track',
    event: 'Product Added',
    name: null,
    category: null,
    userId: null,
    anonymousId: `a-${i}`,
    groupId: null,
    previousId: null,
    properties: { cart_id: `cart-${i}`, products },
    traits: {},
    context: {},
    originalTimestamp: null,
    sentAt: null,
    receivedAt: new Date(start + i).toISOString(),
    timestamp: new Date(start + i).toISOString(),
    writeKey: 'shop-key',
  })
}
globalThis.gc?.()
console.log(JSON.stringify({ ...detector.size(), heapUsed: process.memoryUsage().heapUsed }))
