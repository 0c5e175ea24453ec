import { campaignStats, readEventLines } from '@spoor/email'
import { describe, expect, it } from 'vitest'
import { after, compactedReportOf, reportOf, reportStart } from './report-of.js'

const section = (html: string, id: string) =>
  new RegExp(`<section[^>]*data-section="${id}"[\\s\\S]*?</section>`).exec(html)![0]

describe('the report sections', () => {
  it('draws the heatmap from Heatmap reports (clicks and mouse movement) and Element Clicked alike', async () => {
    const page = { page: { path: '/p' } }
    const { html, dataDir } = await reportOf([
      {
        type: 'track',
        event: 'Element Clicked',
        anonymousId: 'a',
        context: page,
        properties: { x: 640, y: 100, page_width: 1280, page_height: 2000, text: 'Buy', selector: '#buy' },
      },
      {
        type: 'track',
        event: 'Heatmap',
        anonymousId: 'b',
        context: page,
        properties: {
          path: '/p',
          page_width: 1280,
          page_height: 2000,
          grid_columns: 2,
          grid_rows: 2,
          moves: [5, 0, 1, 9],
          clicks: [
            [100, 200],
            [1200, 1900],
          ],
        },
      },
      {
        type: 'track',
        event: 'Heatmap',
        anonymousId: 'c',
        context: page,
        properties: {
          path: '/p',
          page_width: 1280,
          page_height: 2000,
          grid_columns: 2,
          grid_rows: 2,
          moves: [1, 0, 0, 1],
          clicks: [],
        },
      },
    ])
    const heat = section(html, 'heatmap')
    expect(heat).toContain('data-metric="heatmap-clicks:/p" data-value="3"')
    expect(heat.match(/class="click-dot"/g)).toHaveLength(3)
    // Three of four cells saw the mouse (5+1, 0, 1, 9+1): the busiest is drawn darkest.
    const cells = [...heat.matchAll(/fill="#6366f1" fill-opacity="([\d.]+)"/g)].map((m) => Number(m[1]))
    expect(cells).toEqual([0.132, 0.022, 0.22])
    expect(heat).toContain('The shaded grid is where the mouse moved.')
    expect(heat).toContain('>Buy<')
    // The same from the compacted day, where a click's point and element are columns extracted at compaction.
    expect(section((await compactedReportOf(dataDir)).html, 'heatmap')).toBe(heat)
  }, 30_000)

  it('draws each of several pages with its own shape, clicks, mouse moves and elements', async () => {
    const click = (path: string, height: number, x: number, y: number, text: string) => ({
      type: 'track',
      event: 'Element Clicked',
      anonymousId: `${path}-${x}-${y}`,
      context: { page: { path } },
      properties: { x, y, page_width: 1280, page_height: height, text, selector: 'a' },
    })
    const { html } = await reportOf([
      click('/tall', 2560, 640, 1600, 'Tall button'),
      click('/tall', 2560, 640, 1600, 'Tall button'),
      click('/tall', 2560, 320, 640, 'Top link'),
      ...[1, 2, 3, 4, 5].map((n) => click('/tall', 2560, 640 + n, 1600, `Extra ${n}`)),
      click('/wide', 640, 640, 320, 'Wide link'),
      {
        type: 'track',
        event: 'Heatmap',
        anonymousId: 'w',
        context: { page: { path: '/wide' } },
        properties: {
          path: '/wide',
          page_width: 1280,
          page_height: 640,
          grid_columns: 2,
          grid_rows: 1,
          moves: [4, 0],
          clicks: [],
        },
      },
    ])
    const [tall, wide] = section(html, 'heatmap').split('class="tab-panel heatmap-panel').slice(1)
    /** Each text in `has` is in the panel, none of `lacks`. */
    const shows = (panel: string | undefined, has: string[], lacks: string[]) => {
      for (const text of has) expect(panel).toContain(text)
      for (const text of lacks) expect(panel).not.toContain(text)
    }
    // The most clicked page first; each drawn at its own shape (twice as tall as wide is drawn at 1.6, half as tall
    // at 0.5) on a grid of its own rows (64, and 20), each click in the middle of its cell.
    // Its five most clicked elements, ties by label: not the sixth and seventh, nor another page's.
    expect(tall).toMatch(/Tall button[\s\S]*Extra 1[\s\S]*Extra 4/)
    shows(
      tall,
      [
        'data-heatmap-path="/tall"',
        'viewBox="0 0 560 896"',
        '<circle cx="287.0" cy="567.0" r="2.2" class="click-dot"/>',
        '<circle cx="147.0" cy="231.0" r="2.2" class="click-dot"/>',
        'data-metric="heatmap-clicks:/tall" data-value="8"',
      ],
      ['Extra 5', 'Top link', 'Wide link', 'The shaded grid'],
    )
    shows(
      wide,
      [
        'data-heatmap-path="/wide"',
        'viewBox="0 0 560 280"',
        '<circle cx="287.0" cy="147.0" r="2.2" class="click-dot"/>',
        'data-metric="heatmap-clicks:/wide" data-value="1"',
        'Wide link',
        'The shaded grid is where the mouse moved.',
      ],
      ['Tall button'],
    )
  }, 30_000)

  it("counts a click once when the full build reports it both as Element Clicked and in the page view's Heatmap", async () => {
    const context = { page: { path: '/p' }, session: { id: 's1', number: 1 } }
    const click = { x: 640, y: 100, page_width: 1280, page_height: 2000, text: 'Buy', selector: '#buy' }
    const { html } = await reportOf([
      { type: 'track', event: 'Element Clicked', anonymousId: 'a', context, properties: click },
      {
        type: 'track',
        event: 'Heatmap',
        anonymousId: 'a',
        context,
        properties: {
          path: '/p',
          page_width: 1280,
          page_height: 2000,
          grid_columns: 2,
          grid_rows: 2,
          moves: [1, 0, 0, 0],
          clicks: [[640, 100]],
        },
      },
    ])
    expect(section(html, 'heatmap')).toContain('data-metric="heatmap-clicks:/p" data-value="1"')
  }, 30_000)

  it('shows the email numbers of campaignStats, orders tied to a click by the device that landed with it included', async () => {
    const open = (recipient: string, classification?: string) => ({
      type: 'track',
      event: 'Email Opened',
      anonymousId: `open-${recipient}-${classification}`,
      properties: {
        campaign_id: 'june',
        email_id: 'june-1',
        recipient_id: recipient,
        ...(classification ? { classification } : {}),
      },
    })
    const click = {
      type: 'track',
      event: 'Email Link Clicked',
      messageId: 'click-1',
      anonymousId: 'click',
      properties: { campaign_id: 'june', recipient_id: 'ann', link_id: '1', classification: 'human' },
    }
    // A tag without the sessions plugin: the landing page carries the click id in its address, the order does not.
    const landing = {
      type: 'page',
      anonymousId: 'ann-device',
      context: { page: { path: '/p', search: '?spoor_c=click-1' } },
      properties: { path: '/p' },
    }
    const order = {
      type: 'track',
      event: 'Order Completed',
      anonymousId: 'ann-device',
      userId: 'u-ann',
      context: { page: { path: '/checkout' } },
      properties: { order_id: 'o1', value: 30, currency: 'EUR' },
    }
    // Ann's second order two hours later, from the shop's backend, which knows only her user id (and, after the
    // visit, no click id); and a stranger's order.
    const backendOrder = {
      type: 'track',
      event: 'Order Completed',
      userId: 'u-ann',
      properties: { order_id: 'o2', value: 20, currency: 'EUR' },
    }
    const strangersOrder = {
      ...order,
      anonymousId: 'other-device',
      userId: 'u-other',
      properties: { order_id: 'o3', value: 99, currency: 'EUR' },
    }
    const later = (event: object, seconds: number) => ({
      ...event,
      timestamp: after(reportStart, seconds),
    })
    const { html, dataDir } = await reportOf([
      open('ann', 'human'),
      open('bob', 'apple_mpp'),
      open('cid'),
      open('dan', 'gmail_proxy'),
      later(click, 0),
      later(landing, 1),
      later(order, 2),
      later(backendOrder, 2 * 3600),
      later(strangersOrder, 4),
    ])
    const [stats] = campaignStats(await readEventLines(dataDir))
    expect(stats).toMatchObject({
      opens: { people: 3, machines: 1 },
      clicks: { people: 1 },
      conversions: { orders: 2, revenue: { EUR: 50 } },
    })
    const shown = section(html, 'email')
    for (const [name, value] of [
      ['email-human-opens', stats!.opens.people],
      ['email-machine-opens', stats!.opens.machines],
      ['email-openers', stats!.recipients.openedByPeople],
      ['email-human-clicks', stats!.clicks.people],
      ['email-machine-clicks', stats!.clicks.machines],
      ['email-orders', stats!.conversions.orders],
      ['email-revenue', 50],
    ] as const)
      expect(shown).toContain(`data-metric="${name}:june" data-value="${value}"`)

    // The same from the compacted day, whose rows keep a context only where this section reads it whole: the
    // landing's click id, the order's device.
    expect(section((await compactedReportOf(dataDir)).html, 'email')).toBe(shown)
  }, 30_000)

  it("puts a single-page app's engaged time on the page view it belongs to, not the page the report left from", async () => {
    const at = (seconds: number) => after(reportStart, seconds)
    const page = (messageId: string, path: string, seconds: number) => ({
      type: 'page',
      messageId,
      anonymousId: 'a',
      context: { page: { path } },
      properties: { path },
      timestamp: at(seconds),
    })
    // The engagement plugin reports a view as the router's next page view starts: the address is the next page's.
    const engaged = (pageViewId: string, path: string, ms: number, seconds: number) => ({
      type: 'track',
      event: 'Page Engaged',
      anonymousId: 'a',
      context: { page: { path } },
      properties: { engaged_ms: ms, max_scroll_percent: 50, page_view_id: pageViewId },
      timestamp: at(seconds),
    })
    const { html, dataDir } = await reportOf([
      page('view-1', '/list', 0),
      engaged('view-1', '/list', 4000, 5),
      engaged('view-1', '/item', 1000, 9),
      page('view-2', '/item', 9),
      engaged('view-2', '/item', 2000, 12),
      // A view whose only report was sent from the page after it.
      page('view-3', '/cart', 20),
      engaged('view-3', '/checkout', 5000, 25),
      page('view-4', '/checkout', 25),
      // A view that began before the range: its report counts, on the page it was sent from.
      page('view-0', '/earlier', -7200),
      engaged('view-0', '/landing', 3000, 2),
    ])
    const time = section(html, 'engagement')
    expect(time).toContain('data-metric="engaged-avg-ms" data-value="3750"')
    expect(time).toContain('data-metric="engaged-ms:/list" data-value="5000"')
    expect(time).toContain('data-metric="engaged-ms:/item" data-value="2000"')
    expect(time).toContain('data-metric="engaged-ms:/cart" data-value="5000"')
    expect(time).toContain('data-metric="engaged-ms:/landing" data-value="3000"')
    expect(time).not.toContain('engaged-ms:/checkout')
    expect(time).not.toContain('engaged-ms:/earlier')
    // The same from the compacted day, where the reports meet their page views by the key placed at compaction.
    expect(section((await compactedReportOf(dataDir)).html, 'engagement')).toBe(time)
  }, 30_000)

  it("sums each view's reports, keeps its deepest scroll, and sorts the views into scroll buckets by it", async () => {
    const engaged = (view: string, ms: number, scroll: number, seconds: number) => ({
      type: 'track',
      event: 'Page Engaged',
      anonymousId: 'a',
      context: { page: { path: '/' } },
      properties: { engaged_ms: ms, max_scroll_percent: scroll, page_view_id: view },
      timestamp: after(reportStart, seconds),
    })
    const { html } = await reportOf([
      // Two reports of one view: 3 s in all, its deepest scroll 60%.
      engaged('v1', 1000, 60, 1),
      engaged('v1', 2000, 20, 2),
      // Each bucket's lower bound is its own, 75% is deep, and past 100% is the last bucket's.
      engaged('v2', 4000, 25, 3),
      engaged('v3', 5000, 75, 4),
      engaged('v4', 6000, 130, 5),
      engaged('v5', 7000, 0, 6),
      // A scroll below zero, as a sender can send: the view counts, in no bucket.
      engaged('v6', 30000, -5, 7),
    ])
    const time = section(html, 'engagement')
    const value = (name: string) => new RegExp(`data-metric="${name}" data-value="([^"]*)"`).exec(time)?.[1]
    // Six views: 3, 4, 5, 6, 7 and 30 s, their mean 9.2 s and their median between 5 and 6 s.
    expect(Number(value('engaged-avg-ms'))).toBeCloseTo(55_000 / 6, 6)
    expect(time).toContain('median 6 s per page view')
    expect(Number(value('scroll-avg'))).toBeCloseTo((60 + 25 + 75 + 130 + 0 - 5) / 6, 9)
    expect(time).toContain('2 of 6 views read to 75%+')
    expect(['0–25%', '25–50%', '50–75%', '75–100%'].map((bucket) => value(`scroll:${bucket}`))).toEqual([
      '1',
      '1',
      '1',
      '2',
    ])
  }, 30_000)

  it('counts one view, one sample and one answer in the singular', async () => {
    const at = (seconds: number) => after(reportStart, seconds)
    const { html } = await reportOf([
      { type: 'page', messageId: 'view-1', anonymousId: 'a', properties: { path: '/' }, timestamp: at(0) },
      {
        type: 'track',
        event: 'Page Engaged',
        anonymousId: 'a',
        properties: { engaged_ms: 4000, max_scroll_percent: 90, page_view_id: 'view-1' },
        timestamp: at(5),
      },
      { type: 'track', event: 'Web Vital', anonymousId: 'a', properties: { name: 'LCP', value: 900, id: 'v1' } },
      {
        type: 'track',
        event: 'Survey Responded',
        anonymousId: 'a',
        properties: { survey_id: 'fit', answers: { size: 'right' } },
        timestamp: at(6),
      },
    ])
    expect(section(html, 'engagement')).toContain('1 of 1 view read to 75%+')
    expect(section(html, 'engagement')).toMatch(/<small>1 view<\/small>/)
    expect(section(html, 'vitals')).toContain('100% good · 1 sample<br>')
    expect(section(html, 'surveys')).toContain('fit · 1 answer</small>')
    expect(html).not.toMatch(/\b1 (views|samples|answers)\b/)
    // A day of one page view: one event, one visitor.
    const quiet = (await reportOf([{ type: 'page', anonymousId: 'a', properties: { path: '/' }, timestamp: at(0) }]))
      .html
    expect(quiet).toContain('UTC · 1 event</div>')
    expect(section(quiet, 'people')).toContain('of 1 visitor<')
  }, 30_000)

  it('lists the first four pages of each visit, a reload folded into one step, in the order they were seen', async () => {
    // Sent newest first: the steps go by time, not by arrival.
    const views = (visitor: string, paths: string[]) =>
      paths
        .map((path, i) => ({
          type: 'page',
          anonymousId: visitor,
          context: { page: { path } },
          properties: { path },
          timestamp: after(reportStart, 60 * i),
        }))
        .reverse()
    const { html } = await reportOf([
      // Two visits along the same path: a reload of the landing page, then four more pages; the fifth is past the steps.
      ...views('ann', ['/', '/', '/pricing', '/blog', '/pricing', '/signup']),
      ...views('ben', ['/', '/pricing', '/pricing', '/blog', '/pricing']),
      ...views('cy', ['/blog']),
    ])
    const flows = section(html, 'flows')
    expect(flows).toContain('data-metric="flow:/ &gt; /pricing &gt; /blog &gt; /pricing" data-value="2"')
    expect(flows).toContain('data-metric="flow:/blog" data-value="1"')
    expect([...flows.matchAll(/data-metric="flow:/g)]).toHaveLength(2)
    // Each a share of the three visits.
    expect(flows).toContain('data-value="2">2 <small>66.7%</small>')
    expect(flows).toContain('data-value="1">1 <small>33.3%</small>')
  }, 30_000)

  it('keeps the latest report per web-vital id, and scores NPS once per person', async () => {
    const vital = (id: string, value: number) => ({
      type: 'track',
      event: 'Web Vital',
      anonymousId: 'a',
      properties: { name: 'CLS', value, id },
    })
    const nps = (anonymousId: string, score: number, comment = '') => ({
      type: 'track',
      event: 'NPS Submitted',
      anonymousId,
      properties: { score, comment },
    })
    const later = (event: object, seconds: number) => ({
      ...event,
      timestamp: after(reportStart, seconds),
    })
    const { html } = await reportOf([
      later(vital('v1', 0.5), 0),
      later(vital('v1', 0.05), 1),
      later(vital('v2', 0.02), 0),
      later(nps('a', 2), 0),
      later(nps('a', 10, '<script>alert(1)</script>'), 1),
      later(nps('b', 9), 0),
      later(nps('c', 5), 0),
    ])
    // v1's later report (0.05) replaces its first (0.5): p75 of [0.02, 0.05].
    expect(section(html, 'vitals')).toContain('data-metric="vital-p75:CLS" data-value="0.0425"')
    // a's latest answer (10) counts, not their first (2): 2 promoters, 1 detractor of 3.
    const score = section(html, 'nps')
    expect(score).toContain('data-metric="nps" data-value="33"')
    expect(score).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).not.toContain('<script>')
  }, 30_000)
})
