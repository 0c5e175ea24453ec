import type { EventLine, JsonObject } from '@spoor/protocol'

/** What a cart event says of the cart: the whole cart, as the event contract asks every cart event to carry. */
export interface CartSnapshot {
  /** `properties.cart_id`, or null when the site sends none (the cart is then the visitor's). */
  cartId: string | null
  products: JsonObject[]
  value: number
  currency: string | null
}

/** The events that carry the whole cart (Segment e-commerce v2 names). */
export const cartEvents = new Set(['Product Added', 'Product Removed', 'Cart Viewed', 'Checkout Started'])

/** The event that empties a visitor's carts, and recovers one abandoned within the recovery window. */
export const orderEvent = 'Order Completed'

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const finite = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined

/** The quantity of a cart line: `quantity`, 1 when absent. */
export const quantityOf = (product: JsonObject) => finite(product.quantity) ?? 1

/** `value` as sent, else Σ price × quantity (the e-commerce spec's definition), in cents-exact arithmetic. */
export function cartValue(properties: JsonObject, products: JsonObject[]): number {
  const sent = finite(properties.value)
  if (sent !== undefined) return sent
  const cents = products.reduce((sum, p) => sum + Math.round((finite(p.price) ?? 0) * 100) * quantityOf(p), 0)
  return cents / 100
}

/** The cart an event describes, or undefined when it is not a cart event carrying `products`. */
export function cartSnapshot(line: EventLine): CartSnapshot | undefined {
  if (line.type !== 'track' || !line.event || !cartEvents.has(line.event)) return undefined
  const { properties } = line
  if (!Array.isArray(properties.products)) return undefined
  // The line's own list when every entry is an object, as it nearly always is: no copy per cart event.
  const products = properties.products.every(isObject)
    ? (properties.products as JsonObject[])
    : properties.products.filter(isObject)
  return {
    cartId: typeof properties.cart_id === 'string' && properties.cart_id ? properties.cart_id : null,
    products,
    value: cartValue(properties, products),
    currency: typeof properties.currency === 'string' ? properties.currency : null,
  }
}

/** A cart with at least one line of positive quantity. */
export const hasItems = (products: JsonObject[]) => products.some((p) => quantityOf(p) > 0)

/** The email an event tells of its person: identify traits, the traits riding on its context, or a property. */
export function emailOf(line: EventLine): string | null {
  return emailIn(line.traits?.email) ?? emailIn(line.context?.traits?.email) ?? emailIn(line.properties?.email)
}

const emailIn = (candidate: unknown): string | null =>
  typeof candidate === 'string' && candidate.includes('@') ? candidate : null

/** The campaign of the visit an event belongs to (`context.campaign`), when it has one. */
export function campaignOf(line: EventLine): JsonObject | null {
  const campaign = line.context?.campaign
  return isObject(campaign) && Object.keys(campaign).length > 0 ? campaign : null
}
