// Synthetic traffic for the report benchmark, written in the collector's published layout: one file per minute of
// arrival, `DATA/events/dt=YYYY-MM-DD/hour=HH/<opening time>-<sequence>-<tag>.ndjson`. Sessions of many visitors
// over the days before `end`, busier by day than by night: page views with referrers and utm campaigns, clicks and
// engagement, cart events, orders, identifies. Deterministic (a seeded generator), every messageId unique.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const minute = 60_000
const hour = 60 * minute

/** What {@link writeEvents} makes. */
export interface GeneratedEvents {
  events: number
  files: number
  bytes: number
  sessions: number
  /** A referrer host and a page path that exist in the data, for the filter step. */
  sampleSource: string
  samplePage: string
}

// Mulberry32: small, fast, seeded.
function random(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pages = [
  '/',
  '/pricing',
  '/blog',
  '/about',
  '/contact',
  '/docs',
  '/signup',
  '/cart',
  '/checkout',
  ...Array.from({ length: 60 }, (_, i) => `/products/p-${i}`),
  ...Array.from({ length: 40 }, (_, i) => `/blog/post-${i}`),
]
const referrers = [
  '',
  '',
  '',
  'https://www.google.com/',
  'https://www.google.com/',
  'https://duckduckgo.com/',
  'https://news.ycombinator.com/',
  'https://www.reddit.com/r/webdev/',
  'https://twitter.com/',
  'https://www.facebook.com/',
  'https://www.bing.com/',
  'https://github.com/',
]
const campaigns = [
  { name: 'spring-sale', source: 'newsletter', medium: 'email' },
  { name: 'brand', source: 'google', medium: 'cpc' },
  { name: 'launch', source: 'twitter', medium: 'social' },
]
const agents = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7; rv:133.0) Gecko/20100101 Firefox/133.0',
]

const hex = (rand: () => number, length: number) => {
  let text = ''
  for (let i = 0; i < length; i++) text += Math.floor(rand() * 16).toString(16)
  return text
}

/**
 * Writes about `events` events arriving over the `days` days before `end` under `dataDir/events`.
 *
 * @param options.days - how many days the traffic spans (default 40)
 */
export function writeEvents(dataDir: string, options: { events: number; end: Date; days?: number }): GeneratedEvents {
  const rand = random(42)
  const days = options.days ?? 40
  const start = options.end.getTime() - days * 24 * hour
  const hours = days * 24
  // About 5.4 events per session; a third of sessions are a returning visitor's.
  const sessionsWanted = Math.max(1, Math.round(options.events / 5.4))
  const visitorCount = Math.max(1, Math.round(sessionsWanted * 0.6))
  const pending = new Map<number, string[]>()
  const result: GeneratedEvents = {
    events: 0,
    files: 0,
    bytes: 0,
    sessions: 0,
    sampleSource: 'www.google.com',
    samplePage: '/pricing',
  }
  let sequence = 0
  let messages = 0

  const flushBefore = (minuteIndex: number) => {
    for (const [index, lines] of [...pending].sort(([a], [b]) => a - b)) {
      if (index >= minuteIndex) break
      const opened = new Date(index * minute)
      const iso = opened.toISOString()
      const dir = join(dataDir, 'events', `dt=${iso.slice(0, 10)}`, `hour=${iso.slice(11, 13)}`)
      mkdirSync(dir, { recursive: true })
      const text = lines.join('\n') + '\n'
      const name = `${iso.replace(/[-:.]/g, '')}-${String(++sequence).padStart(6, '0')}-0b0e5ca1.ndjson`
      writeFileSync(join(dir, name), text)
      result.files++
      result.bytes += Buffer.byteLength(text)
      pending.delete(index)
    }
  }

  const nextId = () => `bench-${(++messages).toString(36)}-${hex(rand, 8)}`
  const emit = (at: number, line: Record<string, unknown>) => {
    const iso = new Date(at).toISOString()
    const text = JSON.stringify({
      messageId: nextId(),
      type: 'track',
      event: null,
      name: null,
      category: null,
      userId: null,
      groupId: null,
      previousId: null,
      properties: {},
      traits: {},
      ...line,
      originalTimestamp: iso,
      sentAt: iso,
      receivedAt: iso,
      timestamp: iso,
      writeKey: 'shop',
    })
    const index = Math.floor(at / minute)
    const lines = pending.get(index) ?? []
    lines.push(text)
    pending.set(index, lines)
    result.events++
  }

  for (let h = 0; h < hours; h++) {
    const hourStart = start + h * hour
    const utcHour = new Date(hourStart).getUTCHours()
    // Busier in the afternoon than at night: 0.3 … 1.7 around the mean.
    const weight = 1 + 0.7 * Math.sin(((utcHour - 9) / 24) * 2 * Math.PI)
    const count = Math.round((sessionsWanted / hours) * weight * (0.9 + 0.2 * rand()))
    for (let s = 0; s < count; s++) {
      result.sessions++
      const visitor = Math.floor(rand() * visitorCount)
      const anonymousId = `anon-${visitor.toString(36)}`
      const userId = visitor % 9 === 0 ? `user-${visitor.toString(36)}` : null
      const session = { id: `s-${result.sessions.toString(36)}`, start: hourStart }
      let at = hourStart + Math.floor(rand() * hour)
      const referrer = referrers[Math.floor(rand() * referrers.length)]!
      const campaign = rand() < 0.2 ? campaigns[Math.floor(rand() * campaigns.length)] : undefined
      const userAgent = agents[Math.floor(rand() * agents.length)]!
      const context = (path: string, first: boolean) => ({
        page: {
          path,
          url: `https://shop.example${path}`,
          referrer: first ? referrer : `https://shop.example/`,
          title: path,
          search: '',
        },
        ...(campaign ? { campaign } : {}),
        session: { id: session.id, start: session.start },
        userAgent,
        locale: 'en-US',
        library: { name: 'spoor', version: '0.1.0' },
        screen: { width: userAgent.includes('iPhone') ? 390 : 1440, height: 844, density: 2 },
      })
      const views = 1 + Math.floor(rand() * rand() * 6)
      let path = rand() < 0.4 ? '/' : pages[Math.floor(rand() * pages.length)]!
      for (let v = 0; v < views; v++) {
        const first = v === 0
        // The page view's id, which its clicks' and engagement's lines name as the SDK's do.
        const pageViewId = nextId()
        emit(at, {
          messageId: pageViewId,
          type: 'page',
          anonymousId,
          userId,
          properties: {
            path,
            url: `https://shop.example${path}`,
            referrer: first ? referrer : 'https://shop.example/',
          },
          context: context(path, first),
        })
        if (rand() < 0.5) {
          at += 2_000 + Math.floor(rand() * 20_000)
          emit(at, {
            event: 'Element Clicked',
            anonymousId,
            userId,
            // The fields the SDK's click plugin sends (the heatmap reads x and y against the page's size).
            properties: {
              selector: 'a.cta',
              tag: 'a',
              text: 'Shop now',
              href: null,
              x: Math.floor(rand() * 1000),
              y: Math.floor(rand() * 3000),
              client_x: Math.floor(rand() * 1000),
              client_y: Math.floor(rand() * 800),
              page_width: 1440,
              page_height: 3200,
              viewport_width: 1440,
              viewport_height: 800,
              download: false,
            },
            context: context(path, false),
          })
        }
        at += 5_000 + Math.floor(rand() * 60_000)
        emit(at, {
          event: 'Page Engaged',
          anonymousId,
          userId,
          properties: {
            engaged_ms: Math.floor(rand() * 60_000),
            max_scroll_percent: Math.floor(rand() * 100),
            page_view_id: pageViewId,
          },
          context: context(path, false),
        })
        path = pages[Math.floor(rand() * pages.length)]!
      }
      if (rand() < 0.12) {
        const cart = `cart-${session.id}`
        const products = [{ product_id: `p-${Math.floor(rand() * 60)}`, price: 19.5, quantity: 1 }]
        const value = 19.5
        at += 10_000
        emit(at, {
          event: 'Product Added',
          anonymousId,
          userId,
          properties: { cart_id: cart, products, value, currency: 'EUR' },
          context: context('/cart', false),
        })
        if (rand() < 0.4) {
          at += 30_000
          emit(at, {
            event: 'Order Completed',
            anonymousId,
            userId,
            properties: { cart_id: cart, order_id: `o-${session.id}`, products, total: value, value, currency: 'EUR' },
            context: context('/checkout', false),
          })
        }
      }
      if (userId && rand() < 0.3) {
        emit(at + 1_000, {
          type: 'identify',
          anonymousId,
          userId,
          traits: { email: `${userId}@example.com`, plan: rand() < 0.5 ? 'free' : 'pro' },
          context: context(path, false),
        })
      }
    }
    flushBefore(Math.floor((hourStart + hour) / minute))
  }
  flushBefore(Number.POSITIVE_INFINITY)
  return result
}
