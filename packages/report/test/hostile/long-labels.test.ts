import { parseConfig, presentsToken } from '@spoor/collector'
import { campaignStats, readEventLines } from '@spoor/email'
import { buildReport, dashboard, renderEmailReport, summaryMail } from '@spoor/report'
import { describe, expect, it } from 'vitest'
import { eventLine, writeDataFile } from '../../../../test/support/compacted-data.js'
import { tempDir } from '../../../../test/support/helpers.js'
import { mailPeriod } from '../../src/mail/mail-period.js'
import { sectionOf } from '../report-of.js'

const token = 'a-dashboard-token-of-24-chars+'
const config = parseConfig({ sites: [{ writeKey: 'shop', origins: [] }], dashboard: { token } })
const at = '2026-03-01T10:00:00.000Z'
const now = new Date('2026-03-01T12:00:00.000Z')
const range = { from: new Date('2026-03-01T00:00:00.000Z'), to: now, now }
const day = 'from=2026-03-01&to=2026-03-01'

/**
 * A line for each value a sender chooses and a panel lists, each made by `text` (from its name): page paths and a
 * referrer, a campaign and its tags, a place, a browser, a system and a device, a goal and its property, outbound
 * and download links, a survey's question and answer, an NPS comment, a product, a currency, a heatmap's page and
 * element, an email campaign with its subject.
 */
async function everyLabel(text: (name: string) => string) {
  const dataDir = await tempDir()
  const line = (id: string, fields: Parameters<typeof eventLine>[2]) => eventLine(id, at, fields)
  const path = `/${text('path')}`
  await writeDataFile(dataDir, at, [
    line('p1', { anonymousId: 'ann', path, referrer: `https://${text('referrer').replace(':', '-')}.example/` }),
    line('p2', { anonymousId: 'ann', path: '/next' }),
    line('p3', {
      anonymousId: 'ben',
      path: '/',
      context: {
        campaign: {
          source: text('source'),
          name: text('campaign'),
          medium: text('medium'),
          term: text('term'),
          content: text('content'),
        },
      },
    }),
    line('p4', { anonymousId: 'cy', path: '/', context: { location: { country: text('country') } } }),
    line('p5', { anonymousId: 'cy', path: '/', context: { location: { country: 'DE', region: text('region') } } }),
    line('p6', { anonymousId: 'cy', path: '/', context: { browser: { name: text('browser') } } }),
    line('p7', { anonymousId: 'cy', path: '/', context: { os: { name: text('os') } } }),
    line('p8', { anonymousId: 'cy', path: '/', context: { device: { type: text('device') } } }),
    line('g1', { anonymousId: 'ann', event: text('goal'), properties: { plan: text('plan') } }),
    line('c1', {
      anonymousId: 'ann',
      event: 'Element Clicked',
      properties: { href: `https://out.example/${text('outbound')}`, outbound: true },
    }),
    line('c2', {
      anonymousId: 'ann',
      event: 'Element Clicked',
      properties: { href: `https://shop.example/${text('download')}.pdf`, download: true },
    }),
    line('s1', {
      anonymousId: 'ann',
      event: 'Survey Responded',
      properties: { survey_id: text('survey'), answers: { [text('question')]: text('answer') } },
    }),
    line('n1', { anonymousId: 'ann', event: 'NPS Submitted', properties: { score: 3, comment: text('comment') } }),
    line('o1', {
      anonymousId: 'ann',
      event: 'Order Completed',
      properties: { order_id: 'o1', value: 3, currency: text('currency'), products: [{ name: text('product') }] },
    }),
    line('h1', {
      anonymousId: 'ann',
      event: 'Element Clicked',
      path,
      properties: { x: 5, y: 5, page_width: 100, page_height: 100, text: text('element'), selector: text('selector') },
    }),
    line('m1', {
      anonymousId: 'ann',
      event: 'Email Opened',
      properties: { campaign_id: text('mail'), email_id: 'e1', email_subject: text('subject'), recipient_id: 'r' },
    }),
  ])
  return dataDir
}

/** The dashboard's page for a query over `dataDir`, its clock at {@link now}. */
async function dashboardPage(dataDir: string, query: string) {
  const app = dashboard({ config, dataDir, presentsToken, now: () => now })
  const response = await app.request(`/dashboard?${query}`, { headers: { authorization: `Bearer ${token}` } })
  expect(response.status).toBe(200)
  return response.text()
}

const mb = 2 ** 20

describe('a label a sender made long', () => {
  it('keeps the page within 64 KB of the same page with short labels, however long it is', async () => {
    const short = await everyLabel((name) => name)
    const huge = await everyLabel((name) => `${name}:${'x'.repeat(mb)}`)
    const pages = [await dashboardPage(short, day), await dashboardPage(huge, day)]
    expect(pages[1]!.length - pages[0]!.length).toBeLessThan(64 * 1024)
    const files = [await buildReport({ dataDir: short, ...range }), await buildReport({ dataDir: huge, ...range })]
    expect(files[1]!.html.length - files[0]!.html.length).toBeLessThan(64 * 1024)
    // Every panel with a label still shows it.
    expect(files[1]!.sections.filter((s) => s.html.includes('data-error'))).toEqual([])
    expect(files[1]!.html).toContain(`path:${'x'.repeat(294)}…`)
  }, 120_000)

  it('is shown cut, and its row still filters by the whole value, up to what a link carries', async () => {
    const path = `/${'p'.repeat(1000)}`
    const dataDir = await everyLabel((name) => (name === 'path' ? path.slice(1) : name))
    const pages = sectionOf(await dashboardPage(dataDir, day), 'top-pages')
    expect(pages).toContain(`>${path.slice(0, 300)}…</a>`)
    expect(pages).not.toContain(path.slice(0, 301))
    const link = /href="([^"]*)">\/p+…<\/a>/.exec(pages)![1]!.replaceAll('&amp;', '&')
    expect(new URL(link, 'https://x.example/').searchParams.get('page')).toBe(path)
    // Followed, the link keeps the one visit that viewed the page: its two page views.
    const filtered = await dashboardPage(dataDir, link.slice(link.indexOf('?') + 1))
    expect(filtered).toContain('data-metric="pageviews" data-value="2"')

    const longer = `/${'p'.repeat(2100)}`
    const unlinked = await everyLabel((name) => (name === 'path' ? longer.slice(1) : name))
    const text = sectionOf(await dashboardPage(unlinked, day), 'top-pages')
    expect(text).toContain(`>${longer.slice(0, 300)}…<small>`)
    expect(text).not.toMatch(/href="[^"]*page=%2Fppp/)
  }, 60_000)

  it('shows no control character: a tab or line break as a space, any other as U+FFFD', async () => {
    const dataDir = await everyLabel((name) => `${name}\u0000\u0001\u001b[31m\u007f\u0085\tnext\nline`)
    for (const html of [await dashboardPage(dataDir, day), (await buildReport({ dataDir, ...range })).html]) {
      // The page's own line breaks aside.
      expect(html.replaceAll('\n', '')).not.toMatch(/\p{Cc}/u)
      expect(html).toContain('path\uFFFD\uFFFD\uFFFD[31m\uFFFD\uFFFD next line')
    }
  }, 60_000)

  it('is cut, and its control characters replaced, in the summary mail too', async () => {
    const dataDir = await everyLabel((name) => `${name}\u0000\u001b[2J${'x'.repeat(mb)}`)
    const report = await buildReport({ dataDir, ...range })
    const mail = summaryMail(report, {
      title: 'Shop',
      period: mailPeriod('week', new Date('2026-03-09T08:00:00.000Z')),
    })
    for (const part of [mail.text, mail.html]) {
      expect(part.length).toBeLessThan(16 * 1024)
      expect(part.replaceAll('\n', '')).not.toMatch(/\p{Cc}/u)
    }
    expect(mail.text).toContain(`/path\uFFFD\uFFFD[2J${'x'.repeat(290)}…`)
  }, 60_000)

  it('is cut on the page of spoor email report', async () => {
    const dataDir = await everyLabel((name) => `${name}:${'x'.repeat(mb)}`)
    const page = renderEmailReport(campaignStats(await readEventLines(dataDir)))
    expect(page).toContain(`<h2>mail:${'x'.repeat(295)}…</h2>`)
    expect(page.length).toBeLessThan(64 * 1024)
  }, 60_000)
})
