import type { Browser, BrowserContextOptions } from 'playwright-core'
import { waitForEvents } from './events.js'
import { type ExampleEmail, fetchAs, pixelOf, trackedLink } from './example-email.js'
import { newVisitor, type ShopOptions, type Visitor } from './shop-visitor.js'

/**
 * What the session did, for the tests to check the data against: the carts by fate, the people by email, the
 * email traffic by kind.
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
  /** The email campaign whose click led to an order, and the order's messageId. */
  emailCampaign: string
  emailOrder: string
  /** The anonymous id of each visitor, by first name. */
  visitors: Record<string, string>
}

/** Where the session runs, and the example email it sends. */
export interface SessionOptions extends ShopOptions {
  browser: Browser
  email: ExampleEmail
  /**
   * Public addresses the visitors come from, one each in turn, sent as a proxy of the shop's would send them
   * (`X-Forwarded-For`, for a collector started with `--trust-proxy 1`) on every request their browser makes:
   * their countries, regions and cities then show. Without, every visitor is 127.0.0.1.
   */
  addresses?: string[]
}

// Machines, as they present themselves (packages/email/src/user-agent-patterns.ts has the rules).
const gmailProxy = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)'
const appleMpp = 'Mozilla/5.0'
const gateway =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

async function addToCart(visitor: Visitor, tab = visitor.page) {
  await tab.click('text=Add to cart')
  await tab.waitForSelector('text=Added to your cart.')
}

async function placeOrder(visitor: Visitor, name: string, email: string) {
  await visitor.page.fill('input[name=name]', name)
  await visitor.page.fill('input[name=email]', email)
  await visitor.page.click('text=Place order')
  await visitor.page.waitForSelector('text=Thank you!')
}

async function answerNps(visitor: Visitor, score: number, comment: string) {
  await visitor.page.click('text=Show the NPS prompt')
  const dialog = visitor.page.getByRole('dialog')
  await dialog.getByRole('button', { name: String(score), exact: true }).click()
  await dialog.locator('textarea').fill(comment)
  await dialog.getByRole('button', { name: 'Send' }).click()
  await dialog.waitFor({ state: 'detached' })
}

/** The one cart a visitor's shopping filled (two would mean their tabs split it). */
async function cartOf(visitor: Visitor): Promise<string> {
  const ids = await visitor.cartIds()
  if (ids.length !== 1) throw new Error(`expected one cart, the events name ${ids.length}: ${ids.join(', ')}`)
  return ids[0]!
}

/**
 * The example-shop session in real Chromium, on the example shop as `npm start` serves it (the full build, every
 * capture plugin, heatmaps on): seven people, from an email, a search engine, social media and nowhere, who buy,
 * abandon, come back, shop in two tabs, empty their cart, watch, answer the NPS question and a survey, review; and
 * the machines that fetch the example email's pixel and check its links for an eighth. Nothing is sent but what
 * the shop's pages, the snippet and the collector's email routes send.
 */
export async function runShopSession(options: SessionOptions): Promise<ShopSession> {
  const { email } = options
  const visitors: Visitor[] = []
  const visitor = async (contextOptions: BrowserContextOptions = {}) => {
    const address = options.addresses?.[visitors.length % options.addresses.length]
    const headers = address ? { ...contextOptions.extraHTTPHeaders, 'x-forwarded-for': address } : undefined
    const created = await newVisitor(
      options,
      headers ? { ...contextOptions, extraHTTPHeaders: headers } : contextOptions,
    )
    visitors.push(created)
    return created
  }

  // Ray adds a tea and goes; he comes back after the window to order it (below).
  const ray = await visitor()
  await ray.visit('/product.html?id=tea-01')
  await addToCart(ray)
  await ray.leave()

  // Ben comes from social media, fills his cart and, at checkout, the email field the shop marked; then he goes.
  const ben = await visitor()
  await ben.visit('/?utm_campaign=tea-lovers&utm_source=instagram&utm_medium=social', {
    referer: 'https://www.instagram.com/',
  })
  await ben.follow('text=Cast-iron teapot')
  await addToCart(ben)
  await ben.follow('nav >> text=Cart')
  await ben.follow('text=Go to checkout')
  await ben.page.fill('input[name=email]', 'ben@example.com')
  await ben.page.press('input[name=email]', 'Tab')
  await ben.leave()

  // Tess fills one cart from two tabs, looks at it, and goes. Both tabs are open before either adds: a new visitor
  // with no cart yet, whose tabs must still agree on one cart and keep each other's lines.
  const tess = await visitor()
  await tess.visit('/product.html?id=tea-02')
  const second = await tess.newTab()
  await tess.visit('/product.html?id=cup-01', { tab: second })
  await addToCart(tess)
  await addToCart(tess, second)
  await tess.follow('nav >> text=Cart')
  await tess.page.waitForSelector('text=Stoneware cup')
  await tess.leave()

  // The spring-sale email reaches three mailboxes. Cy's is behind Apple Mail Privacy Protection, which loads the
  // images on delivery, and a security gateway, which checks the links with HEAD requests. Grace reads it in Gmail.
  const cy = email.fill('cy', 'Cy')
  if ((await fetchAs(pixelOf(cy), { userAgent: appleMpp })) !== 200) throw new Error('pixel refused')
  if ((await fetchAs(trackedLink(cy, '1'), { method: 'HEAD', userAgent: gateway })) !== 302)
    throw new Error('click refused')
  if ((await fetchAs(pixelOf(email.fill('grace', 'Grace')), { userAgent: gmailProxy })) !== 200)
    throw new Error('pixel refused')

  // Ada opens it in her browser, follows "See the teapot", buys it, signs up, answers the survey and the NPS
  // question, and reviews the teapot.
  const ada = await visitor()
  await ada.page.setContent(email.fill('ada', 'Ada'), { waitUntil: 'load' })
  await ada.follow('text=See the teapot')
  await addToCart(ada)
  await ada.follow('nav >> text=Cart')
  await ada.follow('text=Go to checkout')
  await placeOrder(ada, 'Ada', 'ada@example.com')
  await ada.visit('/account.html')
  await ada.page.click('text=Sign up')
  await ada.visit('/feedback.html')
  await ada.page.check('input[value=pot]')
  await ada.page.click('text=Send survey')
  await ada.page.waitForSelector('text=Thanks for answering!')
  await ada.page.click('text=Send review')
  await ada.page.waitForSelector('text=Thanks for your review!')
  await answerNps(ada, 9, 'Lovely tea, quick delivery')
  await ada.leave()

  // Grace finds the Assam through a search engine, buys two, and answers the survey.
  const grace = await visitor()
  await grace.visit('/product.html?id=tea-02', { referer: 'https://www.google.com/' })
  await addToCart(grace)
  await addToCart(grace)
  await grace.follow('nav >> text=Checkout')
  await placeOrder(grace, 'Grace', 'grace@example.com')
  await grace.visit('/feedback.html')
  await grace.page.check('input[value=bag]')
  await grace.page.click('text=Send survey')
  await grace.page.waitForSelector('text=Thanks for answering!')
  await grace.leave()

  // Emil adds a cup and takes it out again: an empty cart is never abandoned.
  const emil = await visitor()
  await emil.visit('/')
  await emil.follow('text=Stoneware cup')
  await addToCart(emil)
  await emil.follow('nav >> text=Cart')
  await emil.page.click('text=Remove')
  await emil.page.waitForSelector('text=Your cart is empty.')
  await emil.leave()

  // Dora, on her phone, signs up for the tea letter, watches the brewing guide, and is not happy.
  const dora = await visitor({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 3,
  })
  await dora.visit('/')
  await dora.page.click('text=Get the weekly tea letter')
  await dora.follow('nav >> text=Watch')
  await dora.page.evaluate(() => document.querySelector('video')!.play())
  await dora.page.waitForFunction(() => document.querySelector('video')!.currentTime > 1)
  await dora.page.evaluate(() => document.querySelector('video')!.pause())
  // She keeps the brewing guide, and opens the grower's site in a new tab (answered here: the test has no network).
  await dora.page
    .context()
    .route('https://tea-growers.example/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<title>Tea growers</title>' }),
    )
  await dora.page.click('text=Brewing guide (PDF)')
  const [grower] = await Promise.all([
    dora.page.context().waitForEvent('page'),
    dora.page.click('text=Where our sencha grows'),
  ])
  await grower.close()
  await dora.follow('nav >> text=Feedback')
  await answerNps(dora, 3, 'Shipping took two weeks')
  await dora.leave()

  const [benCart, tessCart, rayCart] = [await cartOf(ben), await cartOf(tess), await cartOf(ray)]
  const abandoned = [benCart, tessCart, rayCart]
  await waitForEvents(
    options.dataDir,
    (e) => e.event === 'Cart Abandoned' && abandoned.includes(e.properties.cart_id as string),
    {
      count: abandoned.length,
      timeout: options.timeout,
    },
  )

  // Ray, back after the window, finds his cart as he left it and orders.
  await ray.visit('/')
  await ray.follow('nav >> text=Cart')
  await ray.page.waitForSelector('text=Sencha green tea')
  await ray.follow('text=Go to checkout')
  await placeOrder(ray, 'Ray', 'ray@example.com')
  await ray.leave()
  await waitForEvents(options.dataDir, (e) => e.event === 'Cart Recovered', { timeout: options.timeout })
  if ((await cartOf(ray)) !== rayCart) throw new Error('Ray came back to another cart')

  const [adaOrder] = (await ada.events()).filter((e) => e.event === 'Order Completed')
  const session: ShopSession = {
    abandoned,
    recovered: rayCart,
    twoTabs: tessCart,
    ordered: [await cartOf(ada), await cartOf(grace)],
    emptied: await cartOf(emil),
    abandonerEmail: 'ben@example.com',
    emailCampaign: email.campaign,
    emailOrder: adaOrder!.messageId,
    visitors: {},
  }
  for (const [name, v] of Object.entries({ ray, ben, tess, ada, grace, emil, dora }))
    session.visitors[name] = await v.anonymousId()
  for (const v of visitors) await v.close()
  return session
}
