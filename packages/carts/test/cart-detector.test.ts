import type { EventLine } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { createCartDetector } from '../src/cart-detector.js'
import { at, line } from './event-lines.js'

const tea = { product_id: 'tea', price: 12.5, quantity: 2 }
const pot = { product_id: 'pot', price: 48, quantity: 1 }
const cartEvent = (minutes: number, products: object[], more: Partial<EventLine> = {}, cartId = 'cart-1') =>
  line(minutes, { event: 'Product Added', properties: { cart_id: cartId, products, currency: 'EUR' }, ...more })
const order = (minutes: number, more: Partial<EventLine> = {}, cartId: string | undefined = 'cart-1') =>
  line(minutes, {
    event: 'Order Completed',
    properties: { cart_id: cartId, order_id: 'o-1', value: 73, currency: 'EUR' },
    ...more,
  })

describe('the abandoned-cart detector', () => {
  it('abandons a cart with items after the window, with the whole cart, identity and campaign', () => {
    const detector = createCartDetector({ windowMs: 30 * 60_000 })
    detector.observe(cartEvent(0, [tea], { context: { campaign: { name: 'spring', source: 'news' } } }))
    detector.observe(cartEvent(5, [tea, pot], { userId: 'u-1', context: { traits: { email: 'ada@example.com' } } }))
    expect(detector.due(at(34))).toEqual([])
    const [abandoned, ...rest] = detector.due(at(35))
    expect(rest).toEqual([])
    expect(abandoned).toMatchObject({
      type: 'track',
      event: 'Cart Abandoned',
      userId: 'u-1',
      anonymousId: 'anon-1',
      writeKey: 'shop',
      timestamp: at(35).toISOString(),
      receivedAt: at(35).toISOString(),
      properties: {
        cart_id: 'cart-1',
        products: [tea, pot],
        value: 73,
        currency: 'EUR',
        last_activity_at: at(5).toISOString(),
        email: 'ada@example.com',
        campaign: { name: 'spring', source: 'news' },
      },
      context: { library: { name: 'spoor-collector' }, campaign: { name: 'spring' } },
    })
    expect(abandoned!.messageId).toMatch(/^cart-abandoned-[0-9a-f]{32}$/)
  })

  it('hands a decision out until it is observed as written, then never again', () => {
    const detector = createCartDetector({ windowMs: 60_000 })
    detector.observe(cartEvent(0, [tea]))
    const first = detector.due(at(2))
    expect(detector.due(at(3)).map((l) => l.messageId)).toEqual(first.map((l) => l.messageId))
    for (const derived of first) detector.observe(derived)
    expect(detector.due(at(4))).toEqual([])
  })

  it("takes as written only the collector's own decisions: a sender's copy neither silences one nor is kept", () => {
    const decide = () => {
      const detector = createCartDetector({ windowMs: 60_000 })
      detector.observe(cartEvent(0, [tea]))
      return detector
    }
    const [real] = decide().due(at(2))
    const detector = decide()
    // The real decision's id and fields, sent by a page or a backend (any library but the collector's).
    detector.observe({ ...real!, context: { library: { name: 'analytics-node', version: '2.0.0' } } })
    // And a flood of made-up ones, dated far ahead so that no sweep would ever let them go.
    for (let n = 0; n < 5_000; n++)
      detector.observe(
        line(1, {
          event: n % 2 ? 'Cart Abandoned' : 'Cart Recovered',
          properties: {
            cart_id: `forged-${n}`,
            last_activity_at: '9999-01-01T00:00:00.000Z',
            abandoned_at: '9999-01-01T00:00:00.000Z',
          },
        }),
      )
    expect(detector.size()).toMatchObject({ abandoned: 0, pending: 0, held: 1 })
    expect(detector.due(at(2)).map((l) => l.messageId)).toEqual([real!.messageId])
    // Read back with the collector's library, the same line is the decision written.
    detector.observe(real!)
    expect(detector.due(at(3))).toEqual([])
  })

  it('keeps a cart alive while its visitor is active elsewhere on the site', () => {
    const detector = createCartDetector({ windowMs: 30 * 60_000 })
    detector.observe(cartEvent(0, [tea]))
    detector.observe(line(25, { type: 'page', properties: { path: '/blog' } }))
    expect(detector.due(at(50))).toEqual([])
    expect(detector.due(at(55))[0]!.properties.last_activity_at).toBe(at(25).toISOString())
  })

  it('never abandons an empty cart, nor one ordered within the window', () => {
    const detector = createCartDetector({ windowMs: 30 * 60_000 })
    detector.observe(cartEvent(0, [tea], {}, 'emptied'))
    detector.observe(
      line(1, {
        event: 'Product Removed',
        properties: { cart_id: 'emptied', products: [], value: 0, currency: 'EUR' },
      }),
    )
    detector.observe(cartEvent(0, [pot], { anonymousId: 'anon-2' }, 'ordered'))
    detector.observe(order(20, { anonymousId: 'anon-2' }, 'ordered'))
    expect(detector.due(at(600))).toEqual([])
  })

  it('treats a cart fed from two tabs as one cart', () => {
    const detector = createCartDetector({ windowMs: 30 * 60_000 })
    detector.observe(cartEvent(0, [tea], { context: { page: { path: '/tab-a' } } }))
    detector.observe(cartEvent(1, [tea, pot], { context: { page: { path: '/tab-b' } } }))
    detector.observe(
      line(2, {
        event: 'Cart Viewed',
        properties: { cart_id: 'cart-1', products: [tea, pot], value: 73, currency: 'EUR' },
      }),
    )
    const decided = detector.due(at(40))
    expect(decided).toHaveLength(1)
    expect(decided[0]!.properties).toMatchObject({ products: [tea, pot], value: 73 })
  })

  it('recovers a cart when the order comes after the window', () => {
    const detector = createCartDetector({ windowMs: 30 * 60_000 })
    detector.observe(cartEvent(0, [tea, pot]))
    const [abandoned] = detector.due(at(31))
    detector.observe(abandoned!)
    // Its contents went with the decision; the cart is held, for the order to find.
    expect(detector.size()).toMatchObject({ held: 1, bytes: 0, open: 0, abandoned: 1 })
    expect(abandoned!.properties.products).toEqual([tea, pot])
    detector.observe(order(120))
    const [recovered] = detector.due(at(121))
    expect(recovered).toMatchObject({
      event: 'Cart Recovered',
      timestamp: at(120).toISOString(),
      properties: { cart_id: 'cart-1', order_id: 'o-1', value: 73, currency: 'EUR', abandoned_at: at(0).toISOString() },
    })
  })

  it('decides the same when no tick ran between the silence and the next activity', () => {
    const ticked = createCartDetector({ windowMs: 30 * 60_000 })
    const unticked = createCartDetector({ windowMs: 30 * 60_000 })
    for (const detector of [ticked, unticked]) detector.observe(cartEvent(0, [tea]))
    const early = ticked.due(at(31))
    for (const l of early) ticked.observe(l)
    for (const detector of [ticked, unticked]) detector.observe(order(45))
    const late = unticked.due(at(46)).map((l) => l.messageId)
    expect([...early.map((l) => l.messageId), ...ticked.due(at(46)).map((l) => l.messageId)]).toEqual(late)
    expect(late).toHaveLength(2)
  })

  it('names an abandonment by its cart and last activity, so two runs agree', () => {
    const ids = [1, 2].map(() => {
      const detector = createCartDetector({ windowMs: 60_000 })
      detector.observe(cartEvent(0, [tea]))
      return detector.due(at(5))[0]!.messageId
    })
    expect(ids[0]).toBe(ids[1])
    const other = createCartDetector({ windowMs: 60_000 })
    other.observe(cartEvent(0, [tea], {}, 'cart-2'))
    expect(other.due(at(5))[0]!.messageId).not.toBe(ids[0])
  })

  it("ignores flagged bots and reads a cart without cart_id as the visitor's", () => {
    const detector = createCartDetector({ windowMs: 60_000 })
    detector.observe(line(0, { event: 'Product Added', properties: { products: [tea] }, context: { bot: true } }))
    expect(detector.due(at(5))).toEqual([])
    detector.observe(
      line(0, { event: 'Product Added', properties: { products: [tea], currency: 'EUR' }, anonymousId: 'anon-9' }),
    )
    const [abandoned] = detector.due(at(5))
    expect(abandoned).toMatchObject({ anonymousId: 'anon-9', properties: { cart_id: null, value: 25 } })
  })

  it("keeps each of a visitor's carts alive with their activity, and an order naming none closes them all", () => {
    const detector = createCartDetector({ windowMs: 30 * 60_000 })
    for (const cartId of ['cart-1', 'cart-2', 'cart-3']) detector.observe(cartEvent(0, [tea], {}, cartId))
    detector.observe(line(25, { type: 'page', properties: { path: '/blog' } }))
    expect(detector.due(at(50))).toEqual([])
    expect(
      detector
        .due(at(55))
        .map((l) => l.properties.cart_id)
        .sort(),
    ).toEqual(['cart-1', 'cart-2', 'cart-3'])
    const ordering = createCartDetector({ windowMs: 30 * 60_000 })
    for (const cartId of ['cart-1', 'cart-2', 'cart-3']) ordering.observe(cartEvent(0, [tea], {}, cartId))
    ordering.observe(
      line(10, { event: 'Order Completed', properties: { order_id: 'o-1', value: 75, currency: 'EUR' } }),
    )
    expect(ordering.due(at(600))).toEqual([])
  })

  it('forgets a person on erasure', () => {
    const detector = createCartDetector({ windowMs: 60_000 })
    detector.observe(cartEvent(0, [tea], { userId: 'erase-me' }))
    detector.observe(cartEvent(0, [pot], { anonymousId: 'anon-keep' }, 'cart-keep'))
    expect(detector.forget((ids) => ids.userId === 'erase-me')).toBe(1)
    expect(detector.due(at(5)).map((l) => l.anonymousId)).toEqual(['anon-keep'])
  })
})

describe('the abandoned-cart detector, with a shop backend sending orders and identifies', () => {
  // What analytics-node writes for a backend that knows the person's account but not the device.
  const server = (minutes: number, fields: Partial<EventLine>) =>
    line(minutes, {
      anonymousId: null,
      context: { library: { name: '@segment/analytics-node', version: '3.1.0' } },
      ...fields,
    })
  const signIn = (minutes: number) => line(minutes, { type: 'identify', userId: 'u-1' })

  it('closes the cart the browser filled before signing in with an order that knows only the userId', () => {
    const detector = createCartDetector({ windowMs: 30 * 60_000 })
    detector.observe(cartEvent(0, [tea]))
    detector.observe(signIn(5))
    detector.observe(
      server(10, {
        event: 'Order Completed',
        userId: 'u-1',
        properties: { order_id: 'o-1', total: 25, currency: 'EUR' },
      }),
    )
    expect(detector.due(at(600))).toEqual([])
  })

  it('recovers an abandoned cart with such an order', () => {
    const detector = createCartDetector({ windowMs: 30 * 60_000 })
    detector.observe(cartEvent(0, [tea]))
    detector.observe(signIn(1))
    for (const derived of detector.due(at(40))) detector.observe(derived)
    detector.observe(
      server(90, {
        event: 'Order Completed',
        userId: 'u-1',
        properties: { order_id: 'o-9', total: 25, currency: 'EUR' },
      }),
    )
    expect(detector.due(at(91))).toMatchObject([
      {
        event: 'Cart Recovered',
        userId: 'u-1',
        anonymousId: 'anon-1',
        properties: { cart_id: 'cart-1', order_id: 'o-9' },
      },
    ])
  })

  it('gives the cart the email of an identify that knows only the userId', () => {
    const detector = createCartDetector({ windowMs: 30 * 60_000 })
    detector.observe(cartEvent(0, [tea]))
    detector.observe(signIn(5))
    detector.observe(server(6, { type: 'identify', userId: 'u-1', traits: { email: 'ada@example.com' } }))
    expect(detector.due(at(40))).toMatchObject([
      { event: 'Cart Abandoned', userId: 'u-1', anonymousId: 'anon-1', properties: { email: 'ada@example.com' } },
    ])
  })

  it('ties the person to the device through an alias', () => {
    const detector = createCartDetector({ windowMs: 30 * 60_000 })
    detector.observe(cartEvent(0, [tea]))
    detector.observe(server(5, { type: 'alias', userId: 'u-1', previousId: 'anon-1' }))
    detector.observe(
      server(10, { event: 'Order Completed', userId: 'u-1', properties: { order_id: 'o-1', currency: 'EUR' } }),
    )
    expect(detector.due(at(600))).toEqual([])
  })

  it("closes the browser's cart with an order carrying its anonymousId and the shop's own cart id", () => {
    const detector = createCartDetector({ windowMs: 30 * 60_000 })
    detector.observe(cartEvent(0, [tea]))
    detector.observe(
      server(10, {
        event: 'Order Completed',
        anonymousId: 'anon-1',
        properties: { cart_id: 'shop-cart-77', order_id: 'o-1', currency: 'EUR' },
      }),
    )
    expect(detector.due(at(600))).toEqual([])
  })

  it('still closes only the cart an order names when it names a known one', () => {
    const detector = createCartDetector({ windowMs: 30 * 60_000 })
    detector.observe(cartEvent(0, [tea]))
    detector.observe(cartEvent(0, [pot], {}, 'cart-2'))
    detector.observe(order(10, {}, 'cart-2'))
    expect(detector.due(at(600)).map((l) => l.properties.cart_id)).toEqual(['cart-1'])
  })

  it('does not tie a userId to the carts of a device that never carried it', () => {
    const detector = createCartDetector({ windowMs: 30 * 60_000 })
    detector.observe(cartEvent(0, [tea]))
    detector.observe(server(6, { type: 'identify', userId: 'u-1', traits: { email: 'ada@example.com' } }))
    detector.observe(
      server(10, { event: 'Order Completed', userId: 'u-1', properties: { order_id: 'o-1', currency: 'EUR' } }),
    )
    const [abandoned] = detector.due(at(600))
    expect(abandoned).toMatchObject({ event: 'Cart Abandoned', userId: null, properties: { cart_id: 'cart-1' } })
    expect(abandoned!.properties.email).toBeUndefined()
  })
})
