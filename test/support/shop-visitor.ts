import type { EventLine } from '@spoor/protocol'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { readEvents } from './events.js'

/** Where visitors shop, and where their events land. */
export interface ShopOptions {
  browser: Browser
  /** The collector that serves the shop (`spoor serve --static examples/shop/public`). */
  shopUrl: string
  dataDir: string
  /** Longest wait for events to reach the files. */
  timeout: number
}

/** One person in their own browser profile (storage, IndexedDB, tabs), shopping in the example shop. */
export interface Visitor {
  /** The first tab. */
  page: Page
  /** Opens another tab of the same profile. */
  newTab(): Promise<Page>
  /** Goes to a shop address and waits until spoor has recorded the page view. */
  visit(path: string, options?: { tab?: Page; referer?: string }): Promise<void>
  /** Clicks what leads to another page (directly or through a redirect) and waits for spoor there. */
  follow(selector: string, tab?: Page): Promise<void>
  /** Waits until spoor has loaded in the tab and recorded its page view. */
  ready(tab?: Page): Promise<void>
  /** The visitor's anonymous id, as spoor keeps it. */
  anonymousId(): Promise<string>
  /** Their events in the files so far. */
  events(): Promise<EventLine[]>
  /** The distinct `cart_id`s their cart events carried so far. */
  cartIds(): Promise<string[]>
  /**
   * Leaves the shop in every tab (each page hidden, then left: engagement, heatmaps and vitals go out by beacon)
   * and waits until every page view of the visitor has its `Page Engaged` in the files. The profile stays open,
   * so nothing still in flight is cut off, and the visitor may come back.
   */
  leave(): Promise<void>
  close(): Promise<void>
}

const cartEvents = new Set(['Product Added', 'Product Removed', 'Cart Viewed', 'Checkout Started', 'Order Completed'])

async function until<T>(what: string, timeout: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeout
  for (;;) {
    const found = await check()
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error(`waited ${timeout} ms for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/**
 * A new visitor. Each page load of the shop in any of their tabs is counted, so that `leave` knows how many page
 * views to wait for.
 */
export async function newVisitor(options: ShopOptions, contextOptions: BrowserContextOptions = {}): Promise<Visitor> {
  const context = await options.browser.newContext(contextOptions)
  let loads = 0
  let anonymousId: string | undefined
  const count = (page: Page) =>
    page.on('framenavigated', (frame) => {
      if (
        frame === page.mainFrame() &&
        frame.url().startsWith(options.shopUrl) &&
        !new URL(frame.url()).pathname.startsWith('/email/')
      )
        loads++
    })
  context.on('page', count)
  const page = await context.newPage()

  const ready = async (tab = page) => {
    await tab.waitForFunction(() => (window as { spoor?: { tracker?: unknown } }).spoor?.tracker)
    // The page view is recorded in a task of its own, queued while the script started: one task later, it is.
    await tab.evaluate(() => new Promise((resolve) => setTimeout(resolve)))
    anonymousId ??= await tab.evaluate(() => localStorage.getItem('spoor.aid')!)
  }
  const events = async () => {
    const id = await visitor.anonymousId()
    return (await readEvents(options.dataDir)).filter((e) => e.anonymousId === id)
  }

  const visitor: Visitor = {
    page,
    newTab: () => context.newPage(),
    async visit(path, { tab = page, referer } = {}) {
      await tab.goto(options.shopUrl + path, referer ? { referer } : {})
      await ready(tab)
    },
    async follow(selector, tab = page) {
      const before = tab.url()
      await tab.click(selector)
      await tab.waitForURL(
        (url) => url.href !== before && url.href.startsWith(options.shopUrl) && !url.pathname.startsWith('/email/'),
      )
      await ready(tab)
    },
    ready,
    async anonymousId() {
      if (!anonymousId) throw new Error('the visitor has not loaded a shop page yet')
      return anonymousId
    },
    events,
    async cartIds() {
      const ids = (await events())
        .filter((e) => e.event && cartEvents.has(e.event))
        .map((e) => e.properties.cart_id as string)
      return [...new Set(ids)]
    },
    async leave() {
      for (const tab of context.pages()) if (tab.url().startsWith(options.shopUrl)) await tab.goto('about:blank')
      await until(`the engagement of ${loads} page views`, options.timeout, async () => {
        const mine = await events()
        const views = mine.filter((e) => e.type === 'page')
        const engaged = new Set(mine.filter((e) => e.event === 'Page Engaged').map((e) => e.properties.page_view_id))
        return views.length >= loads && views.every((view) => engaged.has(view.messageId)) ? true : undefined
      })
    },
    close: () => context.close(),
  }
  return visitor
}
