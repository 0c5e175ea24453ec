import { describe, expect, it } from 'vitest'
import type { Report } from '../src/build-report.js'
import { mailPeriod } from '../src/mail/mail-period.js'
import { summaryMail } from '../src/mail/summary-mail.js'

/** A built report's sections as the mail reads them: their CSV rows. */
const report = (csv: Record<string, (string | number | null)[][]>): Report =>
  ({
    html: '',
    events: 0,
    unreadable: 0,
    sections: Object.entries(csv).map(([id, rows]) => ({ id, csv: { header: [], rows } })),
  }) as unknown as Report

const period = mailPeriod('week', new Date('2026-12-07T08:00:00.000Z'))

describe('a summary mail', () => {
  it('gives each figure its change on the period before: counts in percent, shares in points', () => {
    const mail = summaryMail(
      report({
        overview: [
          ['visitors', 1120, 1000],
          ['sessions', 1300, 1340],
          ['pageviews', 4000, 4000],
          ['bounce-rate', 0.415, 0.4],
          ['visit-duration-ms', 95_000, 0],
        ],
      }),
      { title: 'Shop', period },
    )
    expect(mail.subject).toBe('Shop: 1,120 visitors in the week of 30 November 2026 (+12%)')
    expect(mail.text.split('\n').slice(0, 7)).toEqual([
      'Shop: the week of 30 November 2026, 2026-11-30 to 2026-12-06 (UTC)',
      '',
      'Visitors: 1,120 (+12% on the period before)',
      'Visits: 1,300 (−3% on the period before)',
      'Page views: 4,000 (±0% on the period before)',
      'Bounce rate: 41.5% (+1.5 pts on the period before)',
      'Visit duration: 1 min 35 s (new on the period before)',
    ])
    // No list has rows: none is shown, and no dashboard is linked without its address.
    expect(mail.text).not.toContain('Top pages')
    expect(mail.html).not.toContain('<a ')
  })

  it('gives no change of a rate or a duration where the period before had no visit, and no duration it has none of', () => {
    const mail = summaryMail(
      report({
        overview: [
          ['visitors', 2, 0],
          ['sessions', 2, 0],
          ['bounce-rate', 1, 0],
          ['visit-duration-ms', 0, 0],
        ],
        orders: [['summary', 'revenue', 5, 'X<Y']],
      }),
      { title: 'New site', period },
    )
    expect(mail.text).toContain('Visitors: 2 (new on the period before)\nVisits: 2 (new on the period before)\n')
    expect(mail.text).toContain('Bounce rate: 100%\nVisit duration: —\n')
  })

  it('writes a revenue in a currency that is no ISO code without the code, escaped nowhere twice', () => {
    const mail = summaryMail(report({ overview: [['revenue', 5, 5]], orders: [['summary', 'revenue', 5, 'X<Y']] }), {
      title: 'Shop',
      period,
    })
    expect(mail.text).toContain('Revenue: €5.00 (±0% on the period before)')
    expect(mail.html).not.toContain('&amp;lt;')
  })

  it('escapes what events wrote, and writes the revenue in the orders’ currency', () => {
    const mail = summaryMail(
      report({
        overview: [
          ['visitors', 3, 3],
          ['revenue', 59.9, 10],
        ],
        orders: [['summary', 'revenue', 59.9, 'GBP']],
        'top-pages': [['top', '/<script>alert(1)</script>', 7, 3]],
        sources: [['referrer', 'evil.example"><img src=x>', null, null, 2, null, null, null]],
        goals: [
          ['Signed Up', null, null, 2, 2, 2 / 3],
          ['Signed Up', 'plan', 'pro', 1, 1, 1 / 3],
        ],
      }),
      { title: 'A & B <shop>', period, dashboardUrl: 'https://stats.example/dashboard?site=a&period=7d' },
    )
    expect(mail.html).not.toMatch(/<script|<img/)
    expect(mail.html).toContain('/&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(mail.html).toContain('<h1 style="font-size:20px;margin:0 0 4px">A &amp; B &lt;shop&gt;</h1>')
    expect(mail.html).toContain('href="https://stats.example/dashboard?site=a&amp;period=7d"')
    expect(mail.text).toContain('Revenue: £59.90 (+499% on the period before)')
    // A goal's property rows are the dashboard's drill-down, not goals of their own.
    expect(mail.text).toContain('Goals (visitors, conversion)\n  Signed Up  2  66.7%\n\n')
  })
})
