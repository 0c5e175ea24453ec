import { describe, expect, it } from 'vitest'
import { hints } from '../src/hints.js'
import { after, metricOf, reportOf, reportStart, sectionOf } from './report-of.js'

const start = reportStart
const at = (seconds: number) => after(start, seconds)
const page = (anonymousId: string, path: string, seconds: number) => ({
  type: 'page',
  anonymousId,
  context: { page: { path, url: `https://shop.example${path}` } },
  properties: { path },
  timestamp: at(seconds),
})
const track = (anonymousId: string, event: string, seconds: number, properties: object = {}, path = '/') => ({
  type: 'track',
  event,
  anonymousId,
  context: { page: { path, url: `https://shop.example${path}` } },
  properties,
  timestamp: at(seconds),
})

describe('the report panels', () => {
  it('counts bounces, visit duration, entry and exit pages from what the core tag sends (no Page Engaged needed)', async () => {
    const { html } = await reportOf(
      [
        // a: two pages and a click, 50 s: not a bounce.
        page('a', '/', 0),
        page('a', '/pricing', 30),
        track('a', 'Element Clicked', 50, { selector: '#buy', tag: 'button' }, '/pricing'),
        // b: one page; the full tag's Page Engaged measures it, it is not something b did: a bounce.
        page('b', '/blog', 0),
        track('b', 'Page Engaged', 20, { engaged_ms: 20000, max_scroll_percent: 10 }, '/blog'),
        // c: one page and a sign-up, 10 s: not a bounce.
        page('c', '/pricing', 0),
        track('c', 'Signed Up', 10),
        // d: two visits of one page each, 40 minutes apart: two bounces.
        page('d', '/', 0),
        page('d', '/', 2400),
      ],
      start,
    )
    const overview = sectionOf(html, 'overview')
    expect(metricOf(overview, 'sessions')).toBe(5)
    expect(metricOf(overview, 'views-per-visit')).toBe((metricOf(overview, 'pageviews') ?? Number.NaN) / 5)
    expect(metricOf(overview, 'bounce-rate')).toBe(0.6)
    // The mean of the visits that did not bounce: (50 s + 10 s) / 2.
    expect(metricOf(overview, 'visit-duration-ms')).toBe(30_000)
    const pages = sectionOf(html, 'top-pages')
    expect(metricOf(pages, 'entry-visits:/')).toBe(3)
    expect(metricOf(pages, 'entry-visits:/pricing')).toBe(1)
    expect(metricOf(pages, 'entry-visits:/blog')).toBe(1)
    expect(metricOf(pages, 'exit-visits:/pricing')).toBe(2)
    expect(metricOf(pages, 'exit-visits:/')).toBe(2)
    expect(metricOf(pages, 'page-views:/')).toBe(3)
  }, 30_000)

  it('charts page views and distinct visitors per interval, an interval without any at zero', async () => {
    // 25 minutes of page views: intervals of a minute, 26 of them.
    const { sections } = await reportOf(
      [page('a', '/', 0), page('b', '/', 30), page('a', '/x', 600), page('a', '/', 1500), page('a', '/y', 1510)],
      start,
    )
    const rows = sections.find((s) => s.id === 'traffic')?.csv?.rows ?? []
    expect(rows).toHaveLength(26)
    expect(rows[0]).toEqual([start.toISOString(), 2, 2])
    expect(rows[1]).toEqual([after(start, 60), 0, 0])
    expect(rows[10]).toEqual([after(start, 600), 1, 1])
    expect(rows[25]).toEqual([after(start, 1500), 2, 1])
    expect(rows.reduce((sum, r) => sum + Number(r[1]), 0)).toBe(5)
  }, 30_000)

  it('counts each visitor once per device label, a visitor seen on two screens once under each and once overall', async () => {
    const on = (anonymousId: string, width: number, seconds: number) => ({
      ...page(anonymousId, '/', seconds),
      context: { page: { path: '/', url: 'https://shop.example/' }, screen: { width, height: 800 } },
    })
    // a on a phone and a desktop; b on a desktop; c on a desktop, twice.
    const { html } = await reportOf([
      on('a', 400, 0),
      on('a', 1600, 60),
      on('b', 1600, 0),
      on('c', 1600, 0),
      on('c', 1600, 9),
    ])
    const devices = sectionOf(html, 'devices')
    expect(metricOf(devices, 'screen:Desktop')).toBe(3)
    expect(metricOf(devices, 'screen:Mobile')).toBe(1)
    expect(metricOf(devices, 'country:(not set)')).toBe(3)
  }, 30_000)

  it('lists the eight most viewed pages, entry and exit pages, each with the distinct visitors of that page alone', async () => {
    // One-page visits: /p0 seven times by one visitor (seven visits, 31 minutes apart), /pN by N visitors once each.
    // By views: /p9, /p8, then /p0 and /p7 tied at 7 (by path), /p6 … /p3; /p2 and /p1 are left out.
    const events: object[] = []
    for (let i = 0; i < 7; i++) events.push(page('solo', '/p0', i * 31 * 60 - 3500))
    for (let n = 1; n <= 9; n++) for (let v = 0; v < n; v++) events.push(page(`v${n}-${v}`, `/p${n}`, 0))
    const { sections } = await reportOf(events, start)
    const rows = sections.find((s) => s.id === 'top-pages')?.csv?.rows ?? []
    const expected = ['/p9', '/p8', '/p0', '/p7', '/p6', '/p5', '/p4', '/p3'].map((path) =>
      path === '/p0' ? [path, 7, 1] : [path, Number(path.slice(2)), Number(path.slice(2))],
    )
    for (const list of ['top', 'entry', 'exit'])
      expect(rows.filter((r) => r[0] === list).map((r) => r.slice(1))).toEqual(expected)
  }, 30_000)
  it('lists every custom event as a goal, declarative data-spoor-event ones included, with visitors, count and conversion', async () => {
    const { html } = await reportOf(
      [
        page('a', '/', 0),
        page('b', '/', 0),
        page('c', '/', 0),
        page('d', '/', 0),
        // What the clicks plugin sends for <button data-spoor-event="Newsletter" data-spoor-prop-list="weekly">:
        // the click itself, and the marked event under its own name with the element's props.
        track('a', 'Element Clicked', 5, { selector: 'button', tag: 'button' }),
        track('a', 'Newsletter', 5, { list: 'weekly' }),
        track('a', 'Newsletter', 9, { list: 'weekly' }),
        track('b', 'Newsletter', 5, { list: 'weekly' }),
        track('c', 'Signed Up', 5),
        track('c', 'Page Engaged', 6, { engaged_ms: 6000 }),
      ],
      start,
    )
    const goals = sectionOf(html, 'goals')
    expect(metricOf(goals, 'goal-visitors:Newsletter')).toBe(2)
    expect(metricOf(goals, 'goal-events:Newsletter')).toBe(3)
    expect(metricOf(goals, 'goal-conversion:Newsletter')).toBe(0.5)
    expect(metricOf(goals, 'goal-conversion:Signed Up')).toBe(0.25)
    expect(goals).not.toContain('Element Clicked')
    expect(goals).not.toContain('Page Engaged')
  }, 30_000)

  it('lists outbound links and file downloads by destination, with no personal query values', async () => {
    const click = (who: string, href: string, seconds: number, download = false) =>
      track(who, 'Element Clicked', seconds, { selector: 'a', tag: 'a', href, download })
    const { html } = await reportOf(
      [
        page('a', '/', 0),
        page('b', '/', 0),
        click('a', 'https://partner.example/offer?ref=Ada', 3),
        click('b', 'https://partner.example/offer?ref=Bob', 4),
        click('b', 'https://docs.example/', 5),
        click('a', 'https://shop.example/files/guide.pdf?v=2', 6),
        click('b', 'https://shop.example/brochure', 7, true),
        click('b', 'https://shop.example/pricing', 8),
      ],
      start,
    )
    const outbound = sectionOf(html, 'outbound-links')
    expect(metricOf(outbound, 'outbound:https://partner.example/offer')).toBe(2)
    expect(metricOf(outbound, 'outbound:https://docs.example/')).toBe(1)
    expect(outbound).not.toContain('shop.example')
    expect(html).not.toMatch(/Ada|Bob/)
    const files = sectionOf(html, 'downloads')
    expect(metricOf(files, 'download:https://shop.example/files/guide.pdf')).toBe(1)
    expect(metricOf(files, 'download:https://shop.example/brochure')).toBe(1)
    expect(files).not.toContain('/pricing')
  }, 30_000)

  it("counts the checkout field's email-only identify as a person, and shows devices before anyone identifies", async () => {
    const device = (anonymousId: string, width: number) => ({
      ...page(anonymousId, '/', 0),
      context: { page: { path: '/' }, screen: { width, height: 800 } },
    })
    const { html } = await reportOf(
      [
        device('a', 1400),
        device('b', 390),
        // What identifyField() sends when the visitor leaves <input data-spoor-identify> holding an email.
        { type: 'identify', anonymousId: 'a', traits: { email: 'Ada@Example.com' }, timestamp: at(5) },
      ],
      start,
    )
    const people = sectionOf(html, 'people')
    expect(metricOf(people, 'identified')).toBe(1)
    expect(metricOf(people, 'emails-known')).toBe(1)
    expect(html).toContain('1 identified')

    // A person only a backend names (a server library's identify, an order by API) is no visitor: identified are
    // a share of the visitors, never more of them.
    const withBackend = await reportOf(
      [
        device('a', 1400),
        { type: 'identify', userId: 'crm-7', traits: { email: 'cy@example.com' }, timestamp: at(6) },
        { type: 'track', event: 'Order Completed', userId: 'crm-8', properties: { total: 5 }, timestamp: at(7) },
      ],
      start,
    )
    const backend = sectionOf(withBackend.html, 'people')
    expect(metricOf(backend, 'identified')).toBe(0)
    expect(backend).toContain('of 1 visitor<')

    const anonymous = await reportOf([device('a', 1400), device('b', 390)], start)
    const devices = sectionOf(anonymous.html, 'people')
    expect(devices).not.toContain('data-empty')
    expect(metricOf(devices, 'identified')).toBe(0)
    expect(metricOf(devices, 'device:desktop')).toBe(1)
    expect(metricOf(devices, 'device:phone')).toBe(1)
  }, 30_000)

  it('leaves the shop out of a site that sells nothing, and says once, in plain words, how to fill what is empty', async () => {
    const { html } = await reportOf([page('a', '/', 0), page('a', '/about', 20)], start)
    const overview = sectionOf(html, 'overview')
    expect(metricOf(overview, 'visitors')).toBe(1)
    for (const shopOnly of ['orders', 'revenue', 'conversion']) expect(metricOf(html, shopOnly)).toBeUndefined()
    for (const id of ['funnel', 'carts', 'orders']) expect(html).not.toContain(`data-section="${id}"`)
    expect(html).not.toMatch(/Fed by|engaged_ms|Order Completed/)
    // Engagement and Web Vitals wait on the same step: one line says it, naming both panels.
    const waiting = /<section class="card waiting"[\s\S]*?<\/section>/.exec(html)![0]
    expect(html.split(hints.fullTag).length - 1).toBe(1)
    expect(waiting).toContain('data-section="engagement" data-empty')
    expect(waiting).toContain('data-section="vitals" data-empty')

    const shop = await reportOf(
      [
        page('a', '/', 0),
        track('a', 'Order Completed', 30, { order_id: 'o1', value: 12.5, currency: 'EUR', products: [] }),
      ],
      start,
    )
    expect(metricOf(sectionOf(shop.html, 'overview'), 'orders')).toBe(1)
    expect(metricOf(sectionOf(shop.html, 'overview'), 'revenue')).toBe(12.5)
    expect(shop.html).toContain('data-section="funnel"')

    // A shop whose product and cart events come in, and no order yet, is told what is missing: the orders.
    const browsing = await reportOf(
      [page('a', '/', 0), track('a', 'Product Viewed', 10, { product_id: 'p1' }), track('a', 'Product Added', 20, {})],
      start,
    )
    const notYet = /<section class="card waiting"[\s\S]*?<\/section>/.exec(browsing.html)![0]
    expect(notYet).toContain(hints.orders)
    expect(notYet).toContain('data-section="orders" data-empty')
    // Its cart is not abandoned yet: the hint says when one shows, not to send what it sends.
    expect(notYet).toContain(hints.carts)
    expect(notYet).toContain('data-section="carts" data-empty')
    expect(notYet).not.toContain(hints.shop)
  }, 30_000)
})
