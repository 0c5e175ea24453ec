import { attributeConversions, campaignStats, clickUrl, instrumentEmail, readEventLines } from '@spoor/email'
import { createNdjsonSink } from '@spoor/log'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  attributeUrls,
  chromeUserAgent,
  emailApp,
  fillIn,
  pathOf,
  pixelPath,
  signingKey,
  trackedLink,
} from '../../../test/support/email-helpers.js'
import { basic, writeKey } from '../../../test/support/helpers.js'

const instrumentOptions = {
  campaign: 'spring',
  writeKey,
  base: 'https://t.example.com',
  signingKey,
  recipient: '*|UNIQID|*',
}
const start = Date.parse('2026-03-02T09:00:00.000Z')
const day = 86_400_000
afterEach(() => void vi.useRealTimers())

/** A collector (real NDJSON sink) that takes opens, clicks, and the site's events through the Segment API. */
async function collector() {
  const { app, sink, dataDir } = await emailApp()
  const ua = (userAgent: string, method = 'GET') => ({ method, headers: { 'user-agent': userAgent } })
  return {
    app,
    dataDir,
    sink,
    open: (campaign: string, recipient: string, userAgent = chromeUserAgent, method = 'GET') =>
      app.request(pixelPath({ campaign, recipient }), ua(userAgent, method)),
    /** Clicks a link of the spring campaign; resolves to the click id the destination received. */
    click: async (recipient: string, linkId: string, userAgent = chromeUserAgent, method = 'GET') => {
      const response = await app.request(
        trackedLink(`https://shop.example/${linkId}`, { recipient, linkId }),
        ua(userAgent, method),
      )
      return new URL(response.headers.get('location')!).searchParams.get('spoor_c')!
    },
    /** An event from the site, as the snippet sends it. */
    track: async (event: Record<string, unknown>) => {
      const response = await app.request('/v1/batch', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin: 'https://shop.example' },
        body: JSON.stringify({ writeKey, batch: [{ type: 'track', ...event }] }),
      })
      expect(response.status).toBe(200)
    },
  }
}

const order = (orderId: string, total: number, extra: Record<string, unknown>) => ({
  event: 'Order Completed',
  messageId: 'order-' + orderId,
  properties: { order_id: orderId, total, revenue: total, currency: 'EUR' },
  ...extra,
})

describe('what the sender sees, from the NDJSON a collector wrote', () => {
  it('joins orders to email clicks by spoor_c, on the landing page, across the session, and by device', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(start)
    const c = await collector()
    const adaClick = await c.click('ada', '1')
    const carolClick = await c.click('carol', '2')
    // Ada lands (her browser records the page view with the click id in the address) and buys on that page. It sends
    // its own visit, without a campaign, so the collector derives none: the order's own address is the evidence…
    const visit = { id: 'visit-ada', number: 1 }
    await c.track({
      type: 'page',
      anonymousId: 'device-ada',
      context: { session: visit, page: { path: '/1', search: `?spoor_c=${adaClick}` } },
    })
    await c.track(
      order('o-1', 48, {
        anonymousId: 'device-ada',
        context: { session: visit, page: { path: '/1', search: `?spoor_c=${adaClick}` } },
      }),
    )
    // …and again later on another page, whose address no longer carries it: her device landed with the click.
    vi.setSystemTime(start + day)
    await c.track(
      order('o-2', 12.5, { anonymousId: 'device-ada', context: { page: { path: '/checkout', search: '' } } }),
    )
    // Carol's order carries the click id in its visit's campaign, as the collector keeps it.
    await c.track(
      order('o-3', 20, {
        anonymousId: 'device-carol',
        context: { campaign: { spoor_c: carolClick }, page: { path: '/checkout' } },
      }),
    )
    // Not from an email; and one from Ada's device after the 7-day window.
    await c.track(order('o-4', 99, { anonymousId: 'device-dan', context: { page: { path: '/checkout' } } }))
    vi.setSystemTime(start + 9 * day)
    await c.track(order('o-5', 30, { anonymousId: 'device-ada', context: { page: { path: '/checkout' } } }))
    await c.sink.close()

    const conversions = attributeConversions(await readEventLines(c.dataDir))
    expect(conversions.map((x) => [x.order.properties.order_id, x.click.messageId, x.matchedBy])).toEqual([
      ['o-1', adaClick, 'landing_url'],
      ['o-2', adaClick, 'device'],
      ['o-3', carolClick, 'campaign'],
    ])
    expect(conversions[0]!.click.properties).toMatchObject({ campaign_id: 'spring', recipient_id: 'ada', link_id: '1' })
    // A longer window takes in the late order too.
    expect(attributeConversions(await readEventLines(c.dataDir), { windowMs: 10 * day })).toHaveLength(4)
  })

  it("ties a backend's order that knows only the userId to the click its person's device landed with", async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(start)
    const c = await collector()
    const adaClick = await c.click('ada', '1')
    await c.track({
      type: 'page',
      anonymousId: 'device-ada',
      context: { page: { path: '/1', search: `?spoor_c=${adaClick}` } },
    })
    vi.setSystemTime(start + 60_000)
    // She signs in: the one event that ties her account to this device.
    await c.track({ type: 'identify', anonymousId: 'device-ada', userId: 'u-ada' })
    vi.setSystemTime(start + 120_000)
    const response = await c.app.request('/v1/batch', {
      method: 'POST',
      headers: { authorization: basic(writeKey), 'user-agent': 'analytics-node-next/latest' },
      body: JSON.stringify({
        batch: [
          { type: 'track', ...order('o-1', 48, { userId: 'u-ada' }) },
          { type: 'track', ...order('o-2', 9, { userId: 'u-bob' }) },
        ],
      }),
    })
    expect(response.status).toBe(200)
    await c.sink.close()
    const conversions = attributeConversions(await readEventLines(c.dataDir))
    // The collector puts the order in the visit her device landed in, whose campaign carries the click id.
    expect(conversions.map((x) => [x.order.properties.order_id, x.click.messageId, x.matchedBy])).toEqual([
      ['o-1', adaClick, 'campaign'],
    ])
  })

  it('counts opens, clicks, recipients and orders per campaign, machines split out, repeats counted once', async () => {
    const c = await collector()
    await c.open('spring', 'ada')
    await c.open('spring', 'ada', 'Mozilla/5.0 (via ggpht.com GoogleImageProxy)')
    await c.open('spring', 'bob', 'Mozilla/5.0')
    await c.open('spring', 'bob', chromeUserAgent, 'HEAD')
    await c.open('autumn', 'carol')
    const adaClick = await c.click('ada', '1')
    await c.click('bob', '1', chromeUserAgent, 'HEAD')
    await c.click('bob', '2', 'curl/8.5.0')
    await c.track(order('o-1', 48, { anonymousId: 'device-ada', context: { campaign: { spoor_c: adaClick } } }))
    await c.sink.close()
    // The same order again, written by a restarted collector (its memory of recent ids is gone): counted once.
    const restarted = createNdjsonSink({ dataDir: c.dataDir })
    const [line] = (await readEventLines(c.dataDir)).filter((e) => e.event === 'Order Completed')
    await restarted.write([line!], new Date())
    await restarted.close()

    const events = await readEventLines(c.dataDir)
    expect(events.filter((e) => e.event === 'Order Completed')).toHaveLength(2)
    const [autumn, spring] = campaignStats(events)
    expect(autumn).toMatchObject({
      campaignId: 'autumn',
      opens: { total: 1, people: 1, machines: 0 },
      clicks: { total: 0 },
    })
    expect(spring).toEqual({
      campaignId: 'spring',
      emailIds: ['e1'],
      subjects: [],
      opens: {
        total: 4,
        people: 2,
        machines: 2,
        by: { human: 1, gmail_proxy: 1, apple_mpp: 1, scanner: 1, bot: 0, unclassified: 0 },
      },
      clicks: {
        total: 3,
        people: 1,
        machines: 2,
        by: { human: 1, gmail_proxy: 0, apple_mpp: 0, scanner: 1, bot: 1, unclassified: 0 },
      },
      recipients: { reached: 2, opened: 2, openedByPeople: 1, clicked: 2, clickedByPeople: 1 },
      timeline: expect.any(Array),
      links: [
        {
          linkId: '1',
          linkUrl: 'https://shop.example/1',
          clicks: expect.objectContaining({ total: 2, people: 1, machines: 1 }),
        },
        {
          linkId: '2',
          linkUrl: 'https://shop.example/2',
          clicks: expect.objectContaining({ total: 1, people: 0, machines: 1 }),
        },
      ],
      conversions: { orders: 1, fromPeople: 1, revenue: { EUR: 48 } },
    })

    // Every open and click is in the timeline once: people's opens and clicks, and the machines' apart.
    const sum = (key: 'opens' | 'clicks' | 'machines') => spring!.timeline.reduce((n, h) => n + h[key], 0)
    expect([sum('opens'), sum('clicks'), sum('machines')]).toEqual([2, 1, 4])
  })
})

describe('a campaign of two emails (an A/B test), each numbering its own links', () => {
  it('shows link 1 of each as the link it is, with its own clicks', async () => {
    const { app, sink, dataDir } = await emailApp()
    const click = (emailId: string, url: string, recipient: string) =>
      app.request(
        pathOf(
          clickUrl(
            'https://t.example.com',
            { writeKey, campaignId: 'spring', emailId, linkId: '1', url, recipient },
            signingKey,
          ),
        ),
        { headers: { 'user-agent': chromeUserAgent } },
      )
    await click('variant-a', 'https://shop.example/teapots', 'r-1')
    await click('variant-b', 'https://shop.example/cups', 'r-2')
    await click('variant-b', 'https://shop.example/cups', 'r-3')
    await sink.close()
    const [spring] = campaignStats(await readEventLines(dataDir))
    expect(spring?.links.map((l) => [l.linkId, l.linkUrl, l.clicks.people])).toEqual([
      ['1', 'https://shop.example/teapots', 1],
      ['1', 'https://shop.example/cups', 2],
    ])
  })
})

describe('the subject of an email whose <title> is a merge tag', () => {
  const mailchimp = `<html><head><title>*|MC:SUBJECT|*</title></head><body><p>Hi *|FNAME|*</p></body></html>`
  const pixelOf = (html: string) => attributeUrls(html, 'src').find((src) => src.includes('/email/o.gif'))!

  it('is not the tag as written: the report names the email by its campaign, and instrument says --subject sets it', async () => {
    // The campaign was also sent before pixels were signed: its unsigned pixels still count.
    const { app, sink, dataDir } = await emailApp({}, { unsignedOpenCampaigns: ['spring'] })
    const made = instrumentEmail(mailchimp, { ...instrumentOptions, emailId: 'e1' })
    expect(made.warnings).toEqual([expect.stringContaining('--subject')])
    expect(made.warnings[0]).toContain('*|MC:SUBJECT|*')
    const given = instrumentEmail(mailchimp, { ...instrumentOptions, emailId: 'e2', subject: 'Spring is here' })
    expect(given.warnings).toEqual([])
    // A title naming the subject among other text stands for it too; one that only personalises its text is kept.
    const titled = (title: string) => `<html><head><title>${title}</title></head><body></body></html>`
    expect(instrumentEmail(titled('{{ campaign.subject }} | Leaf'), instrumentOptions).warnings).toHaveLength(1)
    expect(instrumentEmail(titled('Hi {{first_name}}, 20% off'), instrumentOptions).warnings).toEqual([])
    for (const html of [made.html, given.html]) {
      await app.request(pathOf(fillIn(pixelOf(html), { UNIQID: 'r-1' })), {
        headers: { 'user-agent': chromeUserAgent },
      })
    }
    // A pixel made before, unsigned, whose address named the tag as the subject.
    await app.request(`/email/o.gif?k=${writeKey}&c=spring&m=e3&n=${encodeURIComponent('*|MC:SUBJECT|*')}&r=r-2`, {
      headers: { 'user-agent': chromeUserAgent },
    })
    await sink.close()
    const [spring] = campaignStats(await readEventLines(dataDir))
    expect(spring?.emailIds).toEqual(['e1', 'e2', 'e3'])
    expect(spring?.subjects).toEqual(['Spring is here'])
  })
})
