import type { JsonObject } from '@spoor/protocol'
import type { GatedKeyValue } from '../core/gated-key-value.js'
import type { Plugin } from '../core/plugin.js'
import { toJson } from '../core/to-json.js'
import { uuid } from '../core/uuid.js'
import { listen } from './listen.js'
import { propsOf } from './props-of.js'

/** The cart as kept in the host's storage (key `spoor.cart`); field names are stored, so they stay. */
interface Cart {
  cart_id: string
  products: JsonObject[]
  currency: string
}
/** Options of {@link cart}. */
export interface CartOptions {
  /** Currency (ISO 4217) until an event names one (default `USD`). */
  currency?: string
}

const cartEvents = /^(Product (Added|Removed)|Cart Viewed|Checkout Started|Order Completed)$/
// No-code markers: data-spoor-cart="add" on a button, with the product in data-spoor-prop-* attributes.
const markers: Record<string, string> = {
  add: 'Product Added',
  remove: 'Product Removed',
  checkout: 'Checkout Started',
  order: 'Order Completed',
}

/**
 * Keeps the visitor's cart (in the host's storage, across pages and visits, when consent allows: `spoor.cart`) and
 * gives every cart event
 * the whole cart: `cart_id`, `products`, `value` (Σ price × quantity) and `currency`. Developers call
 * `track('Product Added', product)`, `Product Removed`, `Cart Viewed`, `Checkout Started`, `Order Completed`; an
 * order empties the cart. No-code sites mark buttons `data-spoor-cart="add|remove|checkout"` and a button or form
 * `data-spoor-cart="order"`, with `data-spoor-prop-*` attributes (`data-spoor-prop-product-id`, `…-price`, …).
 * These events are what lets the collector side decide that a cart was abandoned: they always carry the cart.
 * Tabs of the site share one cart: each cart event reads it from storage, changes it and writes it back in one
 * synchronous step, so two tabs never start two carts nor write over each other's lines. Revoking consent erases
 * it with everything else spoor stored; without consent (or in cookieless mode) it lasts the page.
 *
 * @param options.currency currency until an event names one (default `USD`)
 * @example
 * createTracker({ writeKey, endpoint, plugins: [cart({ currency: 'EUR' })] })
 * spoor.track('Product Added', { product_id: 'pot-01', name: 'Teapot', price: 48, quantity: 1 })
 */
export const cart = ({ currency = 'USD' }: CartOptions = {}): Plugin => {
  let storage: GatedKeyValue
  return {
    name: 'cart',
    setup(tracker) {
      storage = tracker.storage
      const onMarker = (event: Event) => {
        const marked = (event.target as Element).closest('[data-spoor-cart]')
        // An order marked on a form counts on submit, so that a click on an invalid form is no order.
        if (!marked || (event.type == 'submit') != (marked.localName == 'form')) return
        const properties = propsOf(marked)
        for (const key of ['price', 'quantity']) if (key in properties) properties[key] = +properties[key]!
        tracker.track(markers[marked.getAttribute('data-spoor-cart')!]!, properties)
      }
      listen(tracker, document, 'click', onMarker, true)
      listen(tracker, document, 'submit', onMarker, true)
    },
    enrich(event) {
      const name = event.event!
      if (!cartEvents.test(name)) return event
      const properties = event.properties ?? {}
      const current: Cart = JSON.parse(storage._get('spoor.cart')!) ?? { cart_id: uuid(), products: [], currency }
      const { cart_id, products, value, ...product } = properties
      current.currency = (properties.currency as string | undefined) ?? current.currency
      // Loose equality: a marked button's id is a string where the page's code may use a number.
      const line = current.products.find((p) => p.product_id == product.product_id && p.variant == product.variant)
      const quantity = product.quantity == null ? undefined : +product.quantity
      if (name == 'Product Added') {
        if (line) (line.quantity as number) += quantity ?? 1
        else current.products.push({ ...product, quantity: quantity ?? 1 })
      }
      // Without a quantity, the whole line goes.
      // biome-ignore lint/suspicious/noAssignInExpressions: the subtraction inside the condition: 1 B over spoor.full.js
      if (name == 'Product Removed' && line && !(((line.quantity as number) -= quantity ?? Infinity) > 0)) {
        current.products = current.products.filter((p) => p != line)
      }
      // Products the caller lists win (an order of what the site knows); otherwise the cart's own.
      const items = (products as JsonObject[] | undefined) ?? current.products
      event.properties = {
        ...properties,
        cart_id: current.cart_id,
        // A copy: the event keeps the cart as it was, whatever the cart becomes before the event is sent.
        products: items.map((p) => ({ ...p })),
        value: Math.round(items.reduce((sum, p) => sum + (+p.price! || 0) * (+(p.quantity ?? 1) || 0), 0) * 100) / 100,
        currency: current.currency,
      }
      // An order empties the cart: the next cart event starts a new one.
      if (name == 'Order Completed') storage._remove('spoor.cart')
      else storage._set('spoor.cart', toJson(current))
      return event
    },
  }
}
