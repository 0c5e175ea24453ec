import { barList } from '../charts/bar-list.js'
import { kpi } from '../charts/kpi.js'
import { sqlList } from '../compaction/sql.js'
import { hints } from '../hints.js'
import { fmtDec, fmtInt, plural } from '../html.js'
import { defineSection } from '../section.js'
import { namedPeople } from '../sql/identified.js'

const accountEvents = ['Signed Up', 'Signed In', 'Signed Out', 'Trial Started', 'Subscribed', 'Unsubscribed']

interface People {
  identified: number
  withEmail: number
  visitors: number
  reviews: number
  rating: number | null
  accounts: { event: string; n: number }[]
  devices: { device: string; n: number }[]
}

/**
 * Who the visitors are: identified people (by user id, or by the email an identify gave), known emails, account
 * events, devices, and product ratings.
 */
export const people = defineSection({
  id: 'people',
  kind: 'basic',
  title: 'People and accounts',
  subtitle: 'Visitors who identified themselves, what they did with their account, and on which devices',
  hint: hints.people,
  async load({ db, headline }) {
    // The identified people and the visitors are the headline's: counted once per view.
    const { identified, visitors } = await headline()
    // Each count reads only the rows it counts: the compacted days skip the row groups without a review. The emails
    // are those the visits' lines name (`people` in `sql/visits.ts`): read from every line of the range, 0.2 s a view
    // at ten million events.
    const [row] = await db.all<Omit<People, 'accounts' | 'devices' | 'identified' | 'visitors'>>(
      `SELECT (SELECT count(DISTINCT p.email) FROM ${namedPeople}) AS withEmail,
              count(*) AS reviews, avg(jnum(properties, '$.rating')) AS rating
       FROM events WHERE event = 'Product Reviewed'`,
    )
    const accounts = await db.all<{ event: string; n: number }>(
      `SELECT event, count(*) AS n FROM events WHERE event IN (${sqlList(accountEvents)}) GROUP BY event ORDER BY n DESC, event`,
    )
    // The device class of a visitor: client hints when the browser sends them, else the screen width.
    const devices = await db.all<{ device: string; n: number }>(
      `SELECT CASE WHEN ctx_mobile = 'true' OR try_cast(ctx_screen_width AS DOUBLE) < 768 THEN 'phone'
                   WHEN try_cast(ctx_screen_width AS DOUBLE) < 1100 THEN 'tablet' ELSE 'desktop' END AS device,
              count(DISTINCT visitor_key) AS n
       FROM pages GROUP BY device ORDER BY n DESC, device`,
    )
    return { ...row!, identified, visitors, accounts, devices }
  },
  // Devices are known from the first page view: the section does not wait for anyone to identify.
  filled: (d) => d.identified > 0 || d.accounts.length > 0 || d.reviews > 0 || d.devices.length > 0,
  render: (d) => `<div class="kpis small">
${kpi('Identified', 'identified', d.identified, fmtInt(d.identified), `of ${plural(d.visitors, 'visitor')}`)}
${kpi('Emails known', 'emails-known', d.withEmail, fmtInt(d.withEmail))}
${kpi('Product rating', 'rating', d.rating, d.rating === null ? '—' : `${fmtDec(d.rating)} ★`, plural(d.reviews, 'review'))}
</div>
<div class="split"><div><h3>Account events</h3>${barList(
    d.accounts.map((a) => ({ label: a.event, value: a.n, metric: `account:${a.event}` })),
    'var(--teal)',
  )}</div>
<div><h3>Devices</h3>${barList(
    d.devices.map((a) => ({ label: a.device, value: a.n, metric: `device:${a.device}` })),
    'var(--slate)',
  )}</div></div>`,
  csv: (d) => ({
    header: ['kind', 'name', 'count'],
    rows: [
      ['summary', 'identified', d.identified],
      ['summary', 'emails known', d.withEmail],
      ['summary', 'visitors', d.visitors],
      ['summary', 'reviews', d.reviews],
      ['summary', 'rating', d.rating],
      ...d.accounts.map((a) => ['account event', a.event, a.n]),
      ...d.devices.map((a) => ['device', a.device, a.n]),
    ],
  }),
})
