import { campaignStats, instrumentEmail, readEventLines } from '@spoor/email'
import { describe, expect, it } from 'vitest'
import {
  attributeUrls,
  chromeUserAgent,
  emailApp,
  fillIn,
  pathOf,
  pixelPath,
  signingKey,
} from '../../../test/support/email-helpers.js'
import { writeKey } from '../../../test/support/helpers.js'
import { campaignTimeline, renderEmailReport } from '../src/email-page.js'
import { styles } from '../src/styles.js'
import { metricOf } from './report-of.js'

// An Outlook button and its <a> twin, only the <a> named; a merge tag in the subject and in a link's query.
const template = `<html><head><title>Hi {{first_name}}, the teapot is 20% off</title></head><body>
<!--[if mso]><v:roundrect href="https://shop.example/pot?id=pot-01&amp;ref={{id}}">See the teapot</v:roundrect><![endif]-->
<!--[if !mso]><!--><a href="https://shop.example/pot?id=pot-01&amp;ref={{id}}" data-spoor-link="pot">See the teapot</a><!--<![endif]-->
<a href="https://shop.example/care">Care guide</a></body></html>`

describe('spoor email report', () => {
  it('shows the subject, rates, a timeline and one row per destination, with no recipient’s values in it', async () => {
    const email = instrumentEmail(template, {
      campaign: 'spring',
      writeKey,
      base: 'https://t.example.com',
      signingKey,
      recipient: '{{id}}',
      emailId: 'e1',
    })
    expect(email.links.map((l) => [l.linkId, l.count])).toEqual([
      ['pot', 2],
      ['1', 1],
    ])
    const { app, sink, dataDir } = await emailApp()
    const get = (url: string, userAgent = chromeUserAgent) =>
      app.request(pathOf(url), { headers: { 'user-agent': userAgent } })
    for (const [id, name, link] of [
      ['ada', 'Ada', 0],
      ['bob', 'Bob', 1],
    ] as const) {
      // The sending service fills in each recipient; they open the mail and click one of the teapot's twins.
      const mail = fillIn(email.html, { id, first_name: name })
      expect((await get(attributeUrls(mail, 'src')[0]!)).status).toBe(200)
      expect((await get(attributeUrls(mail, 'href')[link]!)).status).toBe(302)
    }
    // Apple Mail Privacy Protection fetches carol's pixel on delivery: reached, not opened by a person.
    await get(attributeUrls(fillIn(email.html, { id: 'carol', first_name: 'Carol' }), 'src')[0]!, 'Mozilla/5.0')
    await sink.close()

    const [spring] = campaignStats(await readEventLines(dataDir))
    expect(spring!.subjects).toEqual(['Hi {{first_name}}, the teapot is 20% off'])
    expect(spring!.links).toEqual([
      {
        linkId: 'pot',
        linkUrl: 'https://shop.example/pot?id=pot-01&ref={{id}}',
        clicks: expect.objectContaining({ people: 2 }),
      },
    ])
    const page = renderEmailReport([spring!], { generatedAt: new Date('2026-03-02T09:00:00Z'), source: 'data' })
    expect(page).toContain(`<style>${styles}</style>`)
    expect(page).toContain('Hi {{first_name}}, the teapot is 20% off')
    expect(page).not.toMatch(/Ada|Bob|ref=ada|ref=bob|<script/)
    expect(metricOf(page, 'email-reached:spring')).toBe(3)
    expect(metricOf(page, 'email-open-rate:spring')).toBeCloseTo(2 / 3)
    expect(metricOf(page, 'email-click-rate:spring')).toBeCloseTo(2 / 3)
    expect(metricOf(page, 'email-click-to-open:spring')).toBe(1)
    expect(metricOf(page, 'email-link-clicks:spring:pot')).toBe(2)
    expect(page).toMatch(/<svg [^>]*class="chart"/)
  }, 30_000)

  it('escapes what senders and recipients put in the page, and says when there is nothing yet', async () => {
    expect(renderEmailReport([])).toContain('No email opens or clicks yet.')
    const { app, sink, dataDir } = await emailApp()
    await app.request(pixelPath({ campaign: '<script>x', subject: '<img src=x>', recipient: 'r1' }), {
      headers: { 'user-agent': chromeUserAgent },
    })
    await sink.close()
    const page = renderEmailReport(campaignStats(await readEventLines(dataDir)))
    expect(page).not.toMatch(/<script|<img/)
    expect(page).toContain('&lt;script&gt;x')
    expect(page).toContain('&lt;img src=x&gt;')
  }, 30_000)

  it('draws the timeline by hour over two days at most, else by day, gaps filled', () => {
    const hourly = campaignTimeline([
      { hour: '2026-03-02T09:00:00.000Z', opens: 3, clicks: 1, machines: 5 },
      { hour: '2026-03-02T12:00:00.000Z', opens: 1, clicks: 0, machines: 0 },
    ])
    expect(hourly.bucketMs).toBe(3_600_000)
    expect(hourly.points.map((p) => p.bars)).toEqual([3, 0, 0, 1])
    const daily = campaignTimeline([
      { hour: '2026-03-02T09:00:00.000Z', opens: 3, clicks: 1, machines: 0 },
      { hour: '2026-03-02T18:00:00.000Z', opens: 2, clicks: 2, machines: 0 },
      { hour: '2026-03-05T08:00:00.000Z', opens: 1, clicks: 0, machines: 0 },
    ])
    expect(daily.points.map((p) => [p.t.toISOString().slice(0, 10), p.bars, p.line])).toEqual([
      ['2026-03-02', 5, 3],
      ['2026-03-03', 0, 0],
      ['2026-03-04', 0, 0],
      ['2026-03-05', 1, 0],
    ])
  })
})
