import type { JsonObject } from '@spoor/protocol'

/** What the detector holds of one cart. */
export interface Cart {
  writeKey: string
  /** `cart_id`, or `visitor:<anonymousId>` when the site sends none. */
  cartKey: string
  cartId: string | null
  anonymousId: string | null
  userId: string | null
  email: string | null
  campaign: JsonObject | null
  products: JsonObject[]
  value: number
  currency: string | null
  /** Latest event time (ms) of the cart or of its visitor. */
  lastActivity: number
  /** Event time of the contents above; older snapshots arriving late do not overwrite them. */
  snapshotAt: number
  /** Time of the order that emptied it; cart events from before it are stale. */
  orderedAt: number
  open: boolean
  /** Size of `products` as JSON, counted against the site's room. */
  bytes: number
}

/** A cart just seen, before its first contents: closed, empty, active at `time`. */
export const emptyCart = (writeKey: string, cartKey: string, cartId: string | null, time: number): Cart => ({
  writeKey,
  cartKey,
  cartId,
  anonymousId: null,
  userId: null,
  email: null,
  campaign: null,
  products: [],
  value: 0,
  currency: null,
  lastActivity: time,
  snapshotAt: -Infinity,
  orderedAt: -Infinity,
  open: false,
  bytes: 0,
})

/** An abandoned cart awaiting an order that would recover it. */
export interface Abandonment {
  lastActivityAt: string
  at: number
  value: number
  currency: string | null
  anonymousId: string | null
  userId: string | null
  cartId: string | null
}

/** An order's value: `value`, else `total`, else `revenue` (shops send one or the other). */
export const orderValue = (properties: JsonObject): number | undefined =>
  [properties.value, properties.total, properties.revenue].find(
    (v): v is number => typeof v === 'number' && Number.isFinite(v),
  )
