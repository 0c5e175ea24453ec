import type { EventLine } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { createCartDetector } from '../src/cart-detector.js'
import { observedPart } from '../src/observed-part.js'
import { at, line } from './event-lines.js'

/** A line as the collector writes it, with the page, agent and facts a browser's line carries besides. */
const browserLine = (id: string, minutes: number, fields: Partial<EventLine>): EventLine =>
  line(minutes, {
    messageId: id,
    ...fields,
    context: {
      page: { path: '/tea', url: 'https://shop.example/tea', title: 'Tea' },
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      screen: { width: 1280, height: 800 },
      ...fields.context,
    },
  })
const products = (...quantities: number[]) =>
  quantities.map((quantity, i) => ({ product_id: `p${i}`, price: 5, quantity }))
const cart = (id: string, minutes: number, visitor: string, quantities: number[], more: Partial<EventLine> = {}) =>
  browserLine(id, minutes, {
    anonymousId: visitor,
    event: 'Product Added',
    properties: { cart_id: `cart-${visitor}`, products: products(...quantities), currency: 'EUR' },
    ...more,
  })

// Every way a line reaches the detector's decisions: cart contents, activity that keeps a cart alive, the email
// wherever a line carries it, the campaign, an identify and an alias tying ids together, a bot's activity (which
// must not count), an order that ends a cart and one that recovers an abandoned one.
const story: EventLine[] = [
  cart('a1', 0, 'ada', [1], { context: { campaign: { name: 'spring', source: 'news' } } }),
  browserLine('a2', 20, { anonymousId: 'ada', type: 'page', properties: { path: '/tea' } }),
  browserLine('a3', 25, {
    anonymousId: 'ada',
    type: 'identify',
    userId: 'u-ada',
    traits: { email: 'ada@example.com' },
  }),
  cart('b1', 5, 'bob', [2, 1]),
  browserLine('b2', 30, {
    anonymousId: 'bob',
    event: 'Newsletter Signed Up',
    properties: { email: 'bob@example.com' },
  }),
  browserLine('b3', 50, { anonymousId: 'bob', type: 'page', context: { bot: true } }),
  cart('c1', 10, 'cy', [3], { context: { traits: { email: 'cy@example.com' } } }),
  browserLine('c2', 15, { anonymousId: 'cy-phone', type: 'alias', userId: 'u-cy', previousId: 'cy' }),
  browserLine('c3', 40, { anonymousId: 'cy-phone', userId: 'u-cy', type: 'page' }),
  cart('d1', 12, 'di', [1]),
  browserLine('d2', 30, {
    anonymousId: 'di',
    event: 'Order Completed',
    properties: { cart_id: 'cart-di', order_id: 'o-di', value: 5, currency: 'EUR' },
  }),
  browserLine('e1', 200, {
    userId: 'u-ada',
    anonymousId: null,
    event: 'Order Completed',
    properties: { cart_id: 'cart-ada', order_id: 'o-ada', value: 5, currency: 'EUR' },
  }),
]

/** The decisions a detector makes over the story, observing each line as `view` gives it, and its own lines back. */
function decisions(view: (line: EventLine) => EventLine) {
  const detector = createCartDetector({ windowMs: 60 * 60_000 })
  const made: EventLine[] = []
  const byTime = [...story].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp))
  for (const minute of [30, 90, 120, 180, 240, 300]) {
    while (byTime.length && Date.parse(byTime[0]!.timestamp) <= at(minute).getTime())
      detector.observe(view(byTime.shift()!))
    const due = detector.due(at(minute))
    for (const decided of due) detector.observe(view(decided))
    made.push(...due)
  }
  return made
}

describe('the part of a line the cart detector reads', () => {
  it('gives the same decisions as the whole lines, for every kind of line that leads to one', () => {
    const whole = decisions((l) => l)
    // The story makes every kind of decision, so that a part missing anything the detector reads would show.
    expect(whole.map((d) => [d.event, d.anonymousId, d.userId, d.properties.email ?? null])).toEqual([
      ['Cart Abandoned', 'ada', 'u-ada', 'ada@example.com'],
      ['Cart Abandoned', 'bob', null, 'bob@example.com'],
      ['Cart Abandoned', 'cy', 'u-cy', 'cy@example.com'],
      ['Cart Recovered', 'ada', 'u-ada', null],
    ])
    expect(decisions(observedPart)).toEqual(whole)
  })

  it("keeps none of the page's facts, and a non-cart event's properties only for its email", () => {
    const [, page, , , signUp] = story.map(observedPart)
    expect(page!.context).toEqual({})
    expect(page!.properties).toEqual({})
    expect(signUp!.properties).toEqual({})
    expect(signUp!.traits).toEqual({ email: 'bob@example.com' })
    expect(observedPart(story[0]!).context).toEqual({ campaign: { name: 'spring', source: 'news' } })
  })

  it('keeps the library only where it names the collector, which is how the detector knows its own decisions', () => {
    const decided = decisions((l) => l)[0]!
    expect(observedPart(decided).context.library).toEqual({ name: 'spoor-collector', version: expect.any(String) })
    const sent = { ...decided, context: { library: { name: 'analytics.js', version: '1' } } }
    expect(observedPart(sent).context).toEqual({})
  })
})
