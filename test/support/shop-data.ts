import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { withCartDetector } from '@spoor/carts'
import { createApp, parseConfig } from '@spoor/collector'
import { createNdjsonSink } from '@spoor/log'
import { vi } from 'vitest'
import { basic, tempDir } from './helpers.js'

/** The site of the shop, and the cart window its collector runs with. */
export const shopKey = 'shop-key'
export const cartWindow = '30m'
const shopOrigin = 'https://shop.example'
const config = parseConfig({
  sites: [
    { writeKey: shopKey, name: 'Shop', origins: [shopOrigin] },
    { writeKey: 'server-key', origins: [] },
  ],
})

const person = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const headless =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36'
// Minute 0 of the story; it ends at minute 300, an hour before the month does.
const t0 = Date.parse('2026-03-31T18:00:00.000Z')
const minute = 60_000
/** The end of the story: the time to decide carts as of. */
export const storyEnd = new Date(t0 + 300 * minute).toISOString()
// A browser sends an event 1.5 s after the call (its batching delay); the request takes 40 ms.
const batching = 1_500
const latency = 40

const tea = { product_id: 'tea-01', name: 'Sencha', price: 12.5, quantity: 2 }
const pot = { product_id: 'pot-01', name: 'Teapot', price: 48, quantity: 1 }
const cup = { product_id: 'cup-01', name: 'Cup', price: 11.4, quantity: 1 }
const cart = (products: object[]) => ({
  products,
  value: products.reduce((sum: number, p) => sum + (p as typeof tea).price * (p as typeof tea).quantity, 0),
  currency: 'EUR',
})

interface Visit {
  anonymousId: string
  userId?: string
  userAgent?: string
  campaign?: Record<string, string>
  /** How far the device's clock is ahead of the collector's, in ms. */
  skew?: number
}

interface Story {
  at: number
  event: ReturnType<typeof browserEvent>
}

/** One event as the browser SDK makes it, at `minute` of the story: its messageId, the device's clock, the page. */
function browserEvent(
  visit: Visit,
  minutes: number,
  fields: { type?: string; event?: string; path?: string; properties?: object; traits?: object },
) {
  const path = fields.path ?? '/'
  return {
    messageId: randomUUID(),
    type: fields.type ?? 'track',
    ...(fields.event ? { event: fields.event } : {}),
    anonymousId: visit.anonymousId,
    ...(visit.userId ? { userId: visit.userId } : {}),
    properties: fields.properties ?? (fields.type === 'page' ? { path, url: shopOrigin + path } : {}),
    ...(fields.traits ? { traits: fields.traits } : {}),
    context: {
      page: { path, url: shopOrigin + path, title: 'Leaf & Kettle', referrer: '', search: '' },
      userAgent: visit.userAgent ?? person,
      locale: 'en-GB',
      library: { name: 'spoor', version: '0.1.0' },
      ...(visit.campaign ? { campaign: visit.campaign } : {}),
    },
    originalTimestamp: new Date(t0 + minutes * minute + (visit.skew ?? 0)).toISOString(),
  }
}

/** What the shop's data folder holds, beside its files. */
export interface ShopData {
  /** The folder holding `data/`, as a reader's working folder holds it in the recipes. */
  dir: string
  /** `DIR/data`, the collector's data folder. */
  dataDir: string
  /** The `cart_id`s of the carts the rule abandons (`null`: the cart of a visitor who gave none). */
  abandoned: (string | null)[]
  /** The abandoned cart that a later order recovered. */
  recovered: string
  /** How many lines repeat a messageId already in the files. */
  duplicates: number
}

/**
 * Drives the real collector (`createApp` over the NDJSON sink with the live cart detector) through a small shop's
 * afternoon, each request at its time of the story (the collector's clock is the test's `Date`): browsers sending
 * `text/plain` batches (one device's clock three minutes fast), a noscript pixel, a server library, a headless bot,
 * carts abandoned, ordered, emptied, fed from two tabs and two devices, and recovered. Then a second collector
 * process takes the retries of events the first one had written (its memory of ids ended with it), which puts
 * repeated messageIds in the files as a restart does in production, in the next month's partition; one retry took
 * longer on the way, so its copy's `timestamp` is 80 ms later than the first.
 */
export async function writeShopData(): Promise<ShopData> {
  const dir = await tempDir('spoor-shop-')
  const dataDir = join(dir, 'data')
  await mkdir(dataDir)
  const ada: Visit = {
    anonymousId: 'anon-ada',
    campaign: { name: 'spring-sale', source: 'newsletter', medium: 'email' },
  }
  const bob: Visit = { anonymousId: 'anon-bob' }
  const cy: Visit = { anonymousId: 'anon-cy' }
  const dee: Visit = {
    anonymousId: 'anon-dee',
    campaign: { name: 'tea-lovers', source: 'instagram', medium: 'social' },
    skew: 3 * minute,
  }
  const eve: Visit = { anonymousId: 'anon-eve' }
  const fay: Visit = { anonymousId: 'anon-fay' }
  const gus: Visit = { anonymousId: 'anon-gus' }
  const halPhone: Visit = { anonymousId: 'anon-hal-phone', userId: 'u-hal' }
  const halLaptop: Visit = { anonymousId: 'anon-hal-laptop', userId: 'u-hal' }
  const bot: Visit = { anonymousId: 'anon-bot', userAgent: headless }
  const ivy: Visit = { anonymousId: 'anon-ivy' }

  const adaEmail = browserEvent(ada, 6, { type: 'identify', path: '/checkout', traits: { email: 'ada@example.com' } })
  const bobOrder = browserEvent(bob, 16, {
    event: 'Order Completed',
    path: '/checkout',
    properties: { cart_id: 'cart-bob', order_id: 'o-bob', ...cart([pot]) },
  })
  const deeTabTwo = browserEvent(dee, 31, {
    event: 'Product Added',
    path: '/tea',
    properties: { cart_id: 'cart-dee', ...tea, ...cart([cup, tea]) },
  })
  const story: Story[] = [
    [0, browserEvent(ada, 0, { type: 'page', path: '/' })],
    [2, browserEvent(ada, 2, { event: 'Product Viewed', path: '/tea', properties: { ...tea, currency: 'EUR' } })],
    [
      3,
      browserEvent(ada, 3, {
        event: 'Product Added',
        path: '/tea',
        properties: { cart_id: 'cart-ada', ...tea, ...cart([tea]) },
      }),
    ],
    [
      5,
      browserEvent(ada, 5, {
        event: 'Cart Viewed',
        path: '/cart',
        properties: { cart_id: 'cart-ada', ...cart([tea]) },
      }),
    ],
    [6, adaEmail],
    [
      10,
      browserEvent(bob, 10, {
        event: 'Product Added',
        path: '/pot',
        properties: { cart_id: 'cart-bob', ...pot, ...cart([pot]) },
      }),
    ],
    [
      15,
      browserEvent(bob, 15, {
        event: 'Checkout Started',
        path: '/checkout',
        properties: { cart_id: 'cart-bob', ...cart([pot]) },
      }),
    ],
    [16, bobOrder],
    [
      20,
      browserEvent(cy, 20, {
        event: 'Product Added',
        path: '/pot',
        properties: { cart_id: 'cart-cy', ...pot, ...cart([pot]) },
      }),
    ],
    [
      21,
      browserEvent(cy, 21, {
        event: 'Product Removed',
        path: '/cart',
        properties: { cart_id: 'cart-cy', ...pot, ...cart([]) },
      }),
    ],
    // Two tabs of one visitor feed one cart.
    [
      30,
      browserEvent(dee, 30, {
        event: 'Product Added',
        path: '/cup',
        properties: { cart_id: 'cart-dee', ...cup, ...cart([cup]) },
      }),
    ],
    [31, deeTabTwo],
    // No cart_id: the visitor's cart.
    [40, browserEvent(eve, 40, { event: 'Product Added', path: '/tea', properties: { ...tea, ...cart([tea]) } })],
    [
      50,
      browserEvent(fay, 50, {
        event: 'Product Added',
        path: '/cup',
        properties: { cart_id: 'cart-fay', ...cup, ...cart([cup]) },
      }),
    ],
    // Reading the blog keeps the cart alive.
    [70, browserEvent(fay, 70, { type: 'page', path: '/blog' })],
    [
      80,
      browserEvent(gus, 80, {
        event: 'Product Added',
        path: '/tea',
        properties: { cart_id: 'cart-gus', ...tea, ...cart([tea]) },
      }),
    ],
    // An order naming no cart closes every cart of its visitor.
    [
      90,
      browserEvent(gus, 90, {
        event: 'Order Completed',
        path: '/checkout',
        properties: { order_id: 'o-gus', ...cart([tea]) },
      }),
    ],
    [
      100,
      browserEvent(halPhone, 100, {
        event: 'Product Added',
        path: '/pot',
        properties: { cart_id: 'cart-hal', ...pot, ...cart([pot]) },
      }),
    ],
    [
      110,
      browserEvent(bot, 110, {
        event: 'Product Added',
        path: '/tea',
        properties: { cart_id: 'cart-bot', ...tea, ...cart([tea]) },
      }),
    ],
    // The same user on another device keeps the phone's cart alive.
    [120, browserEvent(halLaptop, 120, { type: 'page', path: '/' })],
    [145, browserEvent(halLaptop, 145, { type: 'page', path: '/about' })],
    // An order after the abandonment recovers the cart.
    [
      150,
      browserEvent(dee, 150, {
        event: 'Order Completed',
        path: '/checkout',
        properties: { cart_id: 'cart-dee', order_id: 'o-dee', ...cart([cup, tea]) },
      }),
    ],
    // Still inside its window at the end of the story: open, not abandoned.
    [
      280,
      browserEvent(ivy, 280, {
        event: 'Product Added',
        path: '/tea',
        properties: { cart_id: 'cart-ivy', ...tea, ...cart([tea]) },
      }),
    ],
    [285, browserEvent(ivy, 285, { type: 'page', path: '/tea' })],
  ].map(([at, event]) => ({ at: at as number, event: event as Story['event'] }))

  const clock = (at: number) => vi.setSystemTime(t0 + at)
  const skews = new Map([[dee.anonymousId, dee.skew!]])
  const run = async (send: (app: ReturnType<typeof createApp>) => Promise<void>) => {
    const sink = withCartDetector(createNdjsonSink({ dataDir }), { dataDir, windowMs: 30 * minute, tickMs: 10 })
    await sink.ready
    const app = createApp({ config, sink, snippetPath: '/nonexistent', clientIp: () => '203.0.113.7' })
    await send(app)
    await sink.close()
  }
  /**
   * Sends one event as its browser does: the request arrives at `arrival` (ms into the story, the collector's clock)
   * after `delay` ms on the way, stamped `sentAt` by the device's clock.
   */
  const send = async (app: ReturnType<typeof createApp>, event: Story['event'], arrival: number, delay = latency) => {
    clock(arrival)
    const sentAt = new Date(t0 + arrival - delay + (skews.get(event.anonymousId) ?? 0)).toISOString()
    const response = await app.request('/v1/batch', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: shopOrigin },
      body: JSON.stringify({ writeKey: shopKey, sentAt, batch: [event] }),
    })
    if (response.status !== 200) throw new Error(`the collector answered ${response.status}: ${await response.text()}`)
  }

  vi.useFakeTimers({ toFake: ['Date'] })
  try {
    await run(async (app) => {
      for (const { at, event } of story) await send(app, event, at * minute + batching + latency)
      // A page without scripts, and a server library's event with its own timestamp.
      clock(146 * minute)
      await app.request(`/p.gif?k=${shopKey}`, { headers: { referer: shopOrigin + '/noscript', 'user-agent': person } })
      const server = await app.request('/v1/track', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic('server-key') },
        body: JSON.stringify({
          userId: 'u-hal',
          event: 'Signed Up',
          properties: { plan: 'pro' },
          timestamp: new Date(t0 + 99 * minute).toISOString(),
        }),
      })
      if (server.status !== 200) throw new Error(`the collector answered ${server.status} to the server library`)
      clock(200 * minute)
    })
    // The next morning (a new month) after a restart, the retries of events whose answers were lost.
    const retries = [adaEmail, bobOrder, deeTabTwo]
    await run(async (app) => {
      for (const [i, event] of retries.entries())
        await send(app, event, 390 * minute + i * 1000, event === adaEmail ? latency + 80 : latency)
      clock(400 * minute)
    })
    return {
      dir,
      dataDir,
      abandoned: ['cart-ada', 'cart-dee', null, 'cart-fay', 'cart-hal'],
      recovered: 'cart-dee',
      duplicates: retries.length,
    }
  } finally {
    vi.useRealTimers()
  }
}
