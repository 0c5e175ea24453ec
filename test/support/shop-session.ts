import type { Browser, BrowserContext, Page } from 'playwright-core'
import { waitForEvents } from './events.js'

/**
 * What the session did, for the tests to check the data against: the carts by fate, the people by email.
 */
export interface ShopSession {
  /** Carts left with items: the detector must abandon exactly these. */
  abandoned: string[]
  /** Of those, the one whose visitor came back and ordered. */
  recovered: string
  /** The cart fed from two tabs (one of the abandoned). */
  twoTabs: string
  /** Carts that ended in an order within the window, or emptied: never abandoned. */
  ordered: string[]
  emptied: string
  /** The abandoner who gave an email at checkout. */
  abandonerEmail: string
  /** The email campaign whose click led to an order. */
  emailCampaign: string
}

/** Where the session runs and reads back. */
export interface SessionOptions {
  browser: Browser
  /** The fixture shop's origin (test/fixtures/report-shop served by the site server). */
  siteUrl: string
  /** The collector, for the email events and for reading back. */
  collectorUrl: string
  dataDir: string
  writeKey: string
  /** Longest wait for the collector's cart decisions. */
  timeout: number
}

const shop = (options: SessionOptions, path: string) => `${options.siteUrl}/report-shop/${path}`

/**
 * Until the snippet has loaded, calls wait in the stub's queue (`spoor.q`), and a page left before that loses
 * them, as it would in the wild. The session's visitors stay until it has.
 */
async function snippetLoaded(page: Page) {
  if (page.url().startsWith('http')) await page.waitForFunction(() => !(window as unknown as { spoor?: { q?: unknown } }).spoor?.q)
}

/**
 * Leaves the pages as a tab does when hidden, so engagement and vitals go out by beacon, then closes the context.
 * A browser keeps a beacon going after its tab closes; a test browser's context does not, so the session waits
 * for each page's last event to be on disk before closing it.
 */
async function leave(context: BrowserContext, options: SessionOptions) {
  for (const page of context.pages()) {
    await snippetLoaded(page)
    const pageViewId = await page.evaluate(() => document.documentElement.dataset.pageViewId)
    await page.goto('about:blank')
    await waitForEvents(options.dataDir, (e) => e.event === 'Page Engaged' && e.properties.page_view_id === pageViewId, { timeout: options.timeout })
  }
  await context.close()
}

async function cartId(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('shop.cart') ?? 'null')?.cart_id)
}

async function addToCart(page: Page, options: SessionOptions, productId: string, times = 1): Promise<void> {
  await snippetLoaded(page)
  await page.goto(shop(options, `product.html?id=${productId}`))
  for (let i = 0; i < times; i++) await page.click('#add')
  await page.waitForSelector('#status:has-text("Added")')
}

async function checkout(page: Page, options: SessionOptions, email: string, order: boolean): Promise<void> {
  await snippetLoaded(page)
  await page.goto(shop(options, 'cart.html'))
  await snippetLoaded(page)
  await page.click('#to-checkout')
  await page.fill('#email', email)
  await page.locator('#email').blur()
  if (!order) return
  await page.click('#place')
  await page.waitForSelector('#status:has-text("Thank you")')
}

/**
 * Email traffic as the email routes will write it (notes/event-contract, "Email"): opens and clicks of two
 * campaigns, by people and by machines. STAND-IN: sent through the collector's HTTP API until the email work's
 * pixel and click routes land; returns the `messageId` of a person's click, which the shop visit then carries.
 */
async function sendEmailEvents(options: SessionOptions): Promise<string> {
  const click = 'email-click-ada-1'
  const open = (recipient: string, classification: string, campaign = 'spring-sale') => ({
    type: 'track', event: 'Email Opened', anonymousId: `email:${recipient}`,
    properties: { campaign_id: campaign, email_id: `${campaign}-1`, recipient_id: recipient, classification, evidence: { source: 'test' } },
  })
  const batch = [
    open('ada@example.com', 'human'),
    open('ada@example.com', 'human'),
    open('ben@example.com', 'gmail_proxy'),
    open('cy@example.com', 'apple_mpp'),
    open('dee@example.com', 'apple_mpp'),
    open('eve@example.com', 'bot'),
    open('ada@example.com', 'human', 'welcome'),
    open('fay@example.com', 'apple_mpp', 'welcome'),
    {
      type: 'track', event: 'Email Link Clicked', messageId: click, anonymousId: 'email:ada@example.com',
      properties: { campaign_id: 'spring-sale', email_id: 'spring-sale-1', recipient_id: 'ada@example.com', link_url: shop(options, 'index.html'), link_id: 'hero', classification: 'human', evidence: {} },
    },
    {
      type: 'track', event: 'Email Link Clicked', anonymousId: 'email:cy@example.com',
      properties: { campaign_id: 'spring-sale', email_id: 'spring-sale-1', recipient_id: 'cy@example.com', link_url: shop(options, 'index.html'), link_id: 'hero', classification: 'scanner', evidence: { head: true } },
    },
  ]
  const response = await fetch(`${options.collectorUrl}/v1/batch`, { method: 'POST', body: JSON.stringify({ writeKey: options.writeKey, batch }) })
  if (!response.ok) throw new Error(`email events refused: ${response.status} ${await response.text()}`)
  return click
}

/**
 * The example-shop session in real Chromium: seven visitors of the fixture shop, from an email, a search engine,
 * social media and nowhere, who buy, abandon, come back, browse two tabs, empty their cart, rate, answer the NPS
 * question and a survey. The shop's own calls (cart events with the whole cart, identify, NPS, survey) and the
 * stand-in for the capture plugins (capture-stand-in.js) make the events; when those plugins land, only the
 * stand-in goes and this session stays.
 */
export async function runShopSession(options: SessionOptions): Promise<ShopSession> {
  const { browser } = options
  const click = await sendEmailEvents(options)

  // Ada comes from the spring-sale email, buys two teas, answers the survey and the NPS question.
  const ada = await browser.newContext()
  const adaPage = await ada.newPage()
  await snippetLoaded(adaPage)
  await adaPage.goto(shop(options, `index.html?utm_campaign=spring-sale&utm_source=newsletter&utm_medium=email&spoor_c=${click}`))
  await snippetLoaded(adaPage)
  await adaPage.click('text=Sencha green tea')
  await adaPage.click('#add')
  await adaPage.click('#add')
  await adaPage.waitForSelector('#status:has-text("Added")')
  const adaCart = await cartId(adaPage)
  await checkout(adaPage, options, 'ada@example.com', true)
  await adaPage.check('#channel-newsletter')
  await adaPage.click('#survey')
  await snippetLoaded(adaPage)
  await adaPage.goto(shop(options, 'index.html'))
  await adaPage.check('#score-9')
  await adaPage.fill('#nps-comment', 'Lovely tea, quick delivery')
  await adaPage.click('#nps-send')
  await adaPage.waitForSelector('#nps-status:has-text("Thank you")')
  await leave(ada, options)

  // Grace finds the teapot through a search engine, signs up, buys it, and rates it.
  const grace = await browser.newContext()
  const gracePage = await grace.newPage()
  await snippetLoaded(gracePage)
  await gracePage.goto(shop(options, 'product.html?id=pot-01'), { referer: 'https://www.google.com/' })
  await gracePage.click('#add')
  await gracePage.waitForSelector('#status:has-text("Added")')
  const graceCart = await cartId(gracePage)
  await snippetLoaded(gracePage)
  await gracePage.click('#nav-signup')
  await gracePage.fill('#signup-email', 'grace@example.com')
  await gracePage.click('#signup')
  await checkout(gracePage, options, 'grace@example.com', true)
  await gracePage.check('#channel-search')
  await gracePage.click('#survey')
  await snippetLoaded(gracePage)
  await gracePage.goto(shop(options, 'product.html?id=pot-01'))
  await gracePage.click('#rate')
  await gracePage.waitForSelector('#status:has-text("review")')
  await leave(grace, options)

  // Emil adds a cup and takes it out again, then reads the journal: an empty cart is never abandoned.
  const emil = await browser.newContext()
  const emilPage = await emil.newPage()
  await addToCart(emilPage, options, 'cup-01')
  const emilCart = await cartId(emilPage)
  await emilPage.click('#remove')
  await emilPage.waitForSelector('#status:has-text("Removed")')
  await snippetLoaded(emilPage)
  await emilPage.click('#nav-blog')
  await emilPage.waitForSelector('#blog-to-tea')
  await emilPage.mouse.wheel(0, 2000)
  await leave(emil, options)

  // Dora browses from nowhere, reads the journal to the end, and is not happy.
  const dora = await browser.newContext()
  const doraPage = await dora.newPage()
  await snippetLoaded(doraPage)
  await doraPage.goto(shop(options, 'index.html'))
  await snippetLoaded(doraPage)
  await doraPage.click('#nav-blog')
  await doraPage.waitForSelector('#blog-to-tea')
  await doraPage.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
  await doraPage.waitForFunction(() => window.scrollY > 0)
  await snippetLoaded(doraPage)
  await doraPage.click('#blog-to-tea')
  await doraPage.waitForURL('**/product.html?id=tea-01')
  await snippetLoaded(doraPage)
  await doraPage.click('#nav-home')
  await doraPage.waitForURL('**/index.html')
  await doraPage.check('#score-3')
  await doraPage.fill('#nps-comment', 'Shipping took two weeks')
  await doraPage.click('#nps-send')
  await doraPage.waitForSelector('#nps-status:has-text("Thank you")')
  await leave(dora, options)

  // Ben comes from social media, fills his cart and his email at checkout, and goes.
  const ben = await browser.newContext()
  const benPage = await ben.newPage()
  await snippetLoaded(benPage)
  await benPage.goto(shop(options, 'index.html?utm_campaign=tea-lovers&utm_source=instagram&utm_medium=social'), { referer: 'https://www.instagram.com/' })
  await snippetLoaded(benPage)
  await benPage.click('text=Cast-iron teapot')
  await benPage.click('#add')
  await benPage.waitForSelector('#status:has-text("Added")')
  const benCart = await cartId(benPage)
  await checkout(benPage, options, 'ben@example.com', false)
  await leave(ben, options)

  // Tess fills one cart from two tabs, and goes.
  const tess = await browser.newContext()
  const [tabA, tabB] = [await tess.newPage(), await tess.newPage()]
  await addToCart(tabA!, options, 'tea-02')
  await addToCart(tabB!, options, 'cup-01')
  await snippetLoaded(tabA!)
  await tabA!.goto(shop(options, 'cart.html'))
  const tessCart = await cartId(tabA!)
  await leave(tess, options)

  // Ray adds a tea, goes, and comes back after the window to order it.
  const ray = await browser.newContext()
  const rayPage = await ray.newPage()
  await addToCart(rayPage, options, 'tea-01')
  const rayCart = await cartId(rayPage)
  await snippetLoaded(rayPage)
  await rayPage.goto('about:blank')

  const abandoned = [benCart, tessCart, rayCart]
  await waitForEvents(options.dataDir, (e) => e.event === 'Cart Abandoned' && abandoned.includes(e.properties.cart_id as string), {
    count: abandoned.length,
    timeout: options.timeout,
  })
  await checkout(rayPage, options, 'ray@example.com', true)
  await leave(ray, options)
  await waitForEvents(options.dataDir, (e) => e.event === 'Cart Recovered', { timeout: options.timeout })

  return {
    abandoned,
    recovered: rayCart,
    twoTabs: tessCart,
    ordered: [adaCart, graceCart],
    emptied: emilCart,
    abandonerEmail: 'ben@example.com',
    emailCampaign: 'spring-sale',
  }
}
