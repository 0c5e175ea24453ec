import { createHash } from 'node:crypto'

const digest = (parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32)

/**
 * The `messageId` of a `Cart Abandoned` event: a function of the site, the cart and the time of its last activity,
 * so that a detector restarted over the same files, a second collector, and `spoor carts` all name one abandonment
 * alike and downstream dedupe drops any repeat. The SQL recipe in docs/ndjson.md computes the same value.
 */
export const abandonedId = (writeKey: string, cartKey: string, lastActivityAt: string) =>
  `cart-abandoned-${digest([writeKey, cartKey, lastActivityAt])}`

/** The `messageId` of a `Cart Recovered` event: the abandonment it ends and the order that ended it. */
export const recoveredId = (writeKey: string, cartKey: string, lastActivityAt: string, orderId: string) =>
  `cart-recovered-${digest([writeKey, cartKey, lastActivityAt, orderId])}`
