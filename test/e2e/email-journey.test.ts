import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { loadConfig, parseConfig } from '@spoor/collector'
import { attributeConversions, campaignStats, instrumentEmail, readEmailConfig } from '@spoor/email'
import type { EventLine } from '@spoor/protocol'
import type { BrowserContext } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { readEvents, waitForEvents } from '../support/events.js'

const emailDir = fileURLToPath(new URL('../../examples/email/', import.meta.url))
const shopDir = fileURLToPath(new URL('../../examples/shop/public/', import.meta.url))
// A person's browser. Headless Chromium says "HeadlessChrome", which the collector rightly takes for a machine.
const person = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

let signingKey: string
// The example's config (the shop's site, the email signing key), plus the fixture site's key for a landing page on
// another origin. The collector serves the example shop itself, as `npm start` does.
const suite = useBrowserSuite(async () => {
  const example = await loadConfig(emailDir + 'spoor.config.json')
  signingKey = readEmailConfig(example).signingKeys[0]!
  return {
    config: parseConfig({ ...example, sites: [...example.sites, { writeKey: 'e2e-key', origins: ['*'] }] }),
    staticDir: shopDir,
  }
})

/** The example email, its shop links pointed at this test's collector, instrumented and filled in for `recipient`. */
async function exampleMail(recipient: string, campaign: string): Promise<string> {
  const template = (await readFile(emailDir + 'campaign.html', 'utf8')).replaceAll(
    'http://localhost:8787',
    suite.collector.url,
  )
  const { html } = instrumentEmail(template, {
    campaign,
    writeKey: 'demo-shop-key',
    base: suite.collector.url,
    recipient: '{{id}}',
    signingKey,
  })
  return html.replaceAll('{{id}}', recipient).replaceAll('{{first_name}}', 'Ada')
}

/** Opens a mail as a mail client would show it, in a fresh browser profile. */
async function openMail(html: string, userAgent?: string): Promise<BrowserContext> {
  const context = await suite.browser.newContext(userAgent ? { userAgent } : {})
  const page = await context.newPage()
  await page.setContent(html, { waitUntil: 'load' })
  return context
}

const clicksOf = (recipient: string) => (e: EventLine) =>
  e.event === 'Email Link Clicked' && e.properties.recipient_id === recipient

describe('an email click in Chromium, through to an order', () => {
  it('lands with the click id, and the order is attributed to the email', async () => {
    const context = await openMail(await exampleMail('ada', 'spring-sale'), person)
    const [page] = context.pages()
    await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Email Opened' && e.properties.recipient_id === 'ada',
    )
    await page!.click('text=See the teapot')
    await page!.waitForSelector('text=Add to cart')
    const [click] = await waitForEvents(suite.collector.dataDir, clicksOf('ada'))
    expect(click!.properties).toMatchObject({ campaign_id: 'spring-sale', link_id: '1', classification: 'human' })

    // The landing page view carries the click id the collector appended (today in the page address).
    const [landing] = await waitForEvents(
      suite.collector.dataDir,
      (e) =>
        e.type === 'page' &&
        e.properties.path === '/product.html' &&
        e.context.page?.search?.includes('spoor_c=') === true,
    )
    expect(new URLSearchParams(landing!.context.page!.search).get('spoor_c')).toBe(click!.messageId)
    expect(landing!.context.campaign).toMatchObject({ source: 'newsletter', medium: 'email', name: 'spring-sale' })

    await page!.click('text=Add to cart')
    await page!.click('nav >> text=Cart')
    await page!.click('text=Go to checkout')
    await page!.fill('input[name=name]', 'Ada')
    await page!.click('text=Place order')
    await page!.waitForSelector('text=Thank you!')
    await page!.goto('about:blank')
    const [order] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Order Completed' && e.anonymousId === landing!.anonymousId,
    )

    const events = await readEvents(suite.collector.dataDir)
    const [conversion, ...more] = attributeConversions(events).filter((c) => c.order.messageId === order!.messageId)
    expect(more).toEqual([])
    expect(conversion!.click.messageId).toBe(click!.messageId)
    // The order was placed on checkout.html, whose address has no spoor_c: the snippet kept the click id in the
    // session's campaign, so the order carries it itself.
    expect(order!.context.campaign?.spoor_c).toBe(click!.messageId)
    expect(conversion!.matchedBy).toBe('campaign')

    const [spring] = campaignStats(events, { writeKey: 'demo-shop-key' }).filter((s) => s.campaignId === 'spring-sale')
    expect(spring).toMatchObject({
      opens: { people: 1, machines: 0 },
      clicks: { people: 1, machines: 0 },
      recipients: { openedByPeople: 1, clickedByPeople: 1 },
      conversions: { orders: 1, fromPeople: 1, revenue: { EUR: 48 } },
    })
    await context.close()
  })

  it('attributes an order placed on the landing page itself to the click', async () => {
    // A landing page on another origin (the fixture site), with a Buy button on the page the click leads to.
    const mail = `<body><a href="${suite.site.url}/index.html?from=mail">Buy now</a></body>`
    const { html } = instrumentEmail(mail, {
      campaign: 'flash',
      writeKey: 'e2e-key',
      base: suite.collector.url,
      recipient: 'bea',
      signingKey,
    })
    const context = await openMail(html, person)
    const [page] = context.pages()
    await page!.click('text=Buy now')
    await page!.waitForURL(/spoor_c=/)
    await page!.click('#buy')
    const [click] = await waitForEvents(suite.collector.dataDir, clicksOf('bea'))
    const [order] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Order Completed' && e.context.page?.search?.includes(click!.messageId) === true,
    )
    expect(new URL(order!.context.page!.url!).searchParams.get('from')).toBe('mail')
    const conversion = attributeConversions(await readEvents(suite.collector.dataDir)).find(
      (c) => c.order.messageId === order!.messageId,
    )
    // The click id is in the order's own address and in its session's campaign; the campaign is checked first.
    // (Orders from tags without the sessions plugin match by 'landing_url': packages/collector/test/email-report.test.ts.)
    expect(conversion).toMatchObject({
      matchedBy: 'campaign',
      click: { messageId: click!.messageId, properties: { campaign_id: 'flash' } },
    })
    await context.close()
  })

  it('takes a headless browser following the links for a machine, and redirects it all the same', async () => {
    const context = await openMail(await exampleMail('cy', 'spring-sale'))
    const [page] = context.pages()
    await page!.click('text=Sencha green tea')
    await page!.waitForURL(/product\.html\?id=tea-01/)
    const [click] = await waitForEvents(suite.collector.dataDir, clicksOf('cy'))
    expect(click!.properties).toMatchObject({
      classification: 'bot',
      evidence: { rule: 'user_agent', user_agent_pattern: 'headless browser' },
    })
    const [open] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Email Opened' && e.properties.recipient_id === 'cy',
    )
    expect(open!.properties.classification).toBe('bot')
    await context.close()
  })
})

describe('merge values a sending service filled in without encoding them, clicked in Chromium', () => {
  it('keeps a stray & in its value, and loses only what follows a #, which the browser never sends', async () => {
    const mail = `<body><a href="${suite.collector.url}/product.html?id=tea-01&amp;who={{first_name}}&amp;flat={{flat}}">Tea</a></body>`
    const { html } = instrumentEmail(mail, {
      campaign: 'raw-values',
      writeKey: 'demo-shop-key',
      base: suite.collector.url,
      recipient: '{{id}}',
      signingKey,
    })
    const filled = html
      .replaceAll('{{id}}', 'dee')
      .replaceAll('{{first_name}}', 'Tom & Jerry')
      .replaceAll('{{flat}}', 'Flat #4')
    const context = await openMail(filled, person)
    const [page] = context.pages()
    await page!.click('text=Tea')
    await page!.waitForURL(/spoor_c=/)
    const landed = new URL(page!.url()).searchParams
    expect([landed.get('id'), landed.get('who'), landed.get('flat')]).toEqual(['tea-01', 'Tom & Jerry', 'Flat '])
    const [click] = await waitForEvents(suite.collector.dataDir, clicksOf('dee'))
    expect(click!.properties.link_url).toBe(
      `${suite.collector.url}/product.html?id=tea-01&who={{first_name}}&flat={{flat}}`,
    )
    await context.close()
  })
  it('keeps a + in a plus-addressed recipient and in “C++”, filled in raw or encoded, and the page gets them', async () => {
    const mail = `<body><a href="${suite.collector.url}/product.html?id=tea-01&amp;who={{first_name}}&amp;to={{email}}">Tea</a></body>`
    const { html } = instrumentEmail(mail, {
      campaign: 'plus-values',
      writeKey: 'demo-shop-key',
      base: suite.collector.url,
      recipient: '{{email}}',
      signingKey,
    })
    for (const [who, email] of [
      ['C++', 'ada+news@example.com'],
      [encodeURIComponent('C++'), encodeURIComponent('bo+news@example.com')],
    ] as const) {
      const context = await openMail(html.replaceAll('{{first_name}}', who).replaceAll('{{email}}', email), person)
      const [page] = context.pages()
      await page!.click('text=Tea')
      await page!.waitForURL(/spoor_c=/)
      const landed = new URL(page!.url()).searchParams
      const meant = decodeURIComponent(email)
      expect([landed.get('who'), landed.get('to')]).toEqual(['C++', meant])
      const [click] = await waitForEvents(suite.collector.dataDir, clicksOf(meant))
      expect(click!.properties.campaign_id).toBe('plus-values')
      await context.close()
    }
  })
})

describe('the <noscript> web pixel', () => {
  it('counts a page view where scripts do not run', async () => {
    const context = await suite.browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    await page.goto(suite.collector.url + '/product.html?id=tea-01&noscript-test')
    const [view] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.context.library?.name === 'spoor-pixel' && e.context.page?.url?.endsWith('noscript-test') === true,
    )
    expect(view).toMatchObject({
      type: 'page',
      writeKey: 'demo-shop-key',
      context: { userAgent: expect.stringContaining('Chrome') },
    })
    await context.close()
  })

  it('gets the page address from another origin only with the referrer policy the README gives', async () => {
    const pixel = (id: string, policy = '') =>
      `<noscript><img src="${suite.collector.url}/p.gif?k=e2e-key&amp;pixel=${id}" ${policy} alt="" width="1" height="1"></noscript>`
    // A site on another origin than the collector, as in production.
    const other = createServer((request, response) => {
      const body = request.url!.startsWith('/plain')
        ? pixel('plain')
        : pixel('policy', 'referrerpolicy="no-referrer-when-downgrade"')
      response.writeHead(200, { 'content-type': 'text/html' }).end(body)
    })
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    const origin = `http://localhost:${(other.address() as AddressInfo).port}`
    const context = await suite.browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    await page.goto(`${origin}/plain.html?q=1`)
    await page.goto(`${origin}/policy.html?q=1`)
    const [plain] = await waitForEvents(suite.collector.dataDir, (e) => e.properties.pixel === 'plain')
    const [policy] = await waitForEvents(suite.collector.dataDir, (e) => e.properties.pixel === 'policy')
    // Browsers send only the origin to another origin by default (strict-origin-when-cross-origin).
    expect(plain!.context.page?.url).toBe(`${origin}/`)
    expect(policy!.context.page?.url).toBe(`${origin}/policy.html?q=1`)
    await context.close()
    await new Promise((resolve) => other.close(resolve))
  })
})
