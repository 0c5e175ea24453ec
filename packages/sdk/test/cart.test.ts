import { describe, expect, it } from 'vitest'
import { cart } from '../src/plugins/cart.js'
import { pageTracker } from './capture-helpers.js'

const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

describe('cart', () => {
  it('adds up lines, removes whole lines without a quantity, and lets an order name its own products', async () => {
    const { tracker, events } = pageTracker([cart({ currency: 'EUR' })])
    await settle()
    tracker.track('Product Added', { product_id: 'a', price: 2.5, quantity: 2 })
    tracker.track('Product Added', { product_id: 'b', variant: 'red', price: 10 })
    tracker.track('Product Added', { product_id: 'b', variant: 'blue', price: 10 })
    tracker.track('Product Added', { product_id: 'a', price: 2.5 })
    tracker.track('Product Removed', { product_id: 'b', variant: 'red' })
    tracker.track('Cart Viewed')
    tracker.track('Order Completed', {
      order_id: 'o1',
      products: [{ product_id: 'z', price: 1, quantity: 3 }],
      currency: 'USD',
    })
    tracker.track('Cart Viewed')
    await settle()
    const sent = (await events()).map((e) => e.properties!)
    expect(sent[3]).toMatchObject({
      value: 27.5,
      products: [{ product_id: 'a', quantity: 3 }, { variant: 'red' }, { variant: 'blue' }],
    })
    expect(sent[5]).toMatchObject({
      value: 17.5,
      currency: 'EUR',
      products: [
        { product_id: 'a', quantity: 3 },
        { variant: 'blue', quantity: 1 },
      ],
    })
    expect(sent[6]).toMatchObject({
      cart_id: sent[0]!.cart_id,
      order_id: 'o1',
      value: 3,
      currency: 'USD',
      products: [{ product_id: 'z' }],
    })
    expect(sent[7]).toMatchObject({ products: [], value: 0 })
    expect(sent[7]!.cart_id).not.toBe(sent[0]!.cart_id)
  })

  it('keeps the cart in the host’s storage for the next page, and forgets it when consent is revoked', async () => {
    const first = pageTracker([cart()])
    first.tracker.track('Product Added', { product_id: 'kept', price: 4 })
    expect(JSON.parse(first.storage.map.get('spoor.cart')!)).toMatchObject({ products: [{ product_id: 'kept' }] })
    const next = pageTracker([cart()], { storage: first.storage })
    next.tracker.track('Cart Viewed')
    const [viewed] = await next.events()
    expect(viewed!.properties).toMatchObject({ products: [{ product_id: 'kept' }], value: 4 })
    next.tracker.consent({ analytics: false })
    expect(first.storage.map.has('spoor.cart')).toBe(false)
    const after = pageTracker([cart()], { storage: first.storage })
    after.tracker.track('Cart Viewed')
    expect((await after.events())[0]!.properties).toMatchObject({ products: [], value: 0 })
  })

  it('is memory only while consent is pending, and stored once granted', async () => {
    const { tracker, storage, events } = pageTracker([cart()], { consent: 'pending' })
    tracker.track('Product Added', { product_id: 'tea', price: 5 })
    expect(storage.map.size).toBe(0)
    tracker.consent({ analytics: true })
    expect((await events())[0]!.properties).toMatchObject({ products: [{ product_id: 'tea' }], value: 5 })
    expect(JSON.parse(storage.map.get('spoor.cart')!)).toMatchObject({ products: [{ product_id: 'tea' }] })
  })

  it('is one cart for two tabs: a new visitor’s tabs agree on it, and neither writes over the other’s lines', async () => {
    // Two tabs of one site share the device's storage.
    const tabA = pageTracker([cart()])
    const tabB = pageTracker([cart()], { storage: tabA.storage })
    await settle()
    tabA.tracker.track('Product Added', { product_id: 'tea', price: 5 })
    await settle()
    tabB.tracker.track('Product Added', { product_id: 'cup', price: 7 })
    await settle()
    tabA.tracker.track('Cart Viewed')
    const [addedInA] = await tabA.events()
    const [addedInB] = await tabB.events()
    expect(addedInB!.properties).toMatchObject({ cart_id: addedInA!.properties!.cart_id, value: 12 })
    expect((addedInB!.properties!.products as { product_id: string }[]).map((p) => p.product_id)).toEqual([
      'tea',
      'cup',
    ])
    const viewed = (await tabA.events()).at(-1)!
    expect(viewed.properties).toMatchObject({ cart_id: addedInA!.properties!.cart_id, value: 12 })
  })
})
