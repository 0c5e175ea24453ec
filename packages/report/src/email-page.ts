import type { CampaignHour, CampaignStats, Tally } from '@spoor/email'
import { barList } from './charts/bar-list.js'
import { kpi } from './charts/kpi.js'
import { type TimePoint, timeChart } from './charts/time-chart.js'
import { esc, fmtInt, fmtMoney, fmtPct, htmlDocument, metric, share, shownLabel } from './html.js'
import { styles } from './styles.js'

const hour = 3_600_000
const day = 24 * hour

/**
 * People's opens (bars) and clicks (line) from the campaign's first hour to its last, gaps filled with zeros: by
 * hour over two days at most, else by day.
 */
export function campaignTimeline(hours: CampaignHour[]): { points: TimePoint[]; bucketMs: number } {
  if (!hours.length) return { points: [], bucketMs: hour }
  const first = Date.parse(hours[0]!.hour)
  const last = Date.parse(hours.at(-1)!.hour)
  const bucketMs = last - first < 48 * hour ? hour : day
  const start = first - (first % bucketMs)
  const points = Array.from({ length: Math.floor((last - start) / bucketMs) + 1 }, (_, i) => ({
    t: new Date(start + i * bucketMs),
    bars: 0,
    line: 0,
  }))
  for (const h of hours) {
    const point = points[Math.floor((Date.parse(h.hour) - start) / bucketMs)]!
    point.bars += h.opens
    point.line += h.clicks
  }
  return { points, bucketMs }
}

const machineNote = (t: Tally) =>
  [
    t.by.apple_mpp && `${fmtInt(t.by.apple_mpp)} Apple Mail Privacy`,
    t.by.scanner && `${fmtInt(t.by.scanner)} link scanners`,
    t.by.bot && `${fmtInt(t.by.bot)} bots`,
  ]
    .filter(Boolean)
    .join(' · ')

function campaignCard(s: CampaignStats): string {
  const r = s.recipients
  const key = s.campaignId
  const revenue = Object.entries(s.conversions.revenue).sort((a, b) => b[1] - a[1])
  const { points, bucketMs } = campaignTimeline(s.timeline)
  const subject = s.subjects.length ? s.subjects.map((x) => `“${shownLabel(x)}”`).join(' · ') : 'subject not recorded'
  return `<section class="card span-2" data-campaign="${shownLabel(key)}">
<h2>${shownLabel(key)}</h2><p class="sub"><span data-subject>${subject}</span> · email ${s.emailIds.map(shownLabel).join(', ') || '—'}</p>
<div class="kpis">
${kpi('Recipients', `email-reached:${key}`, r.reached, fmtInt(r.reached), 'with an open or a click, machines’ included')}
${kpi('Open rate', `email-open-rate:${key}`, share(r.openedByPeople, r.reached), fmtPct(share(r.openedByPeople, r.reached)), `${fmtInt(r.openedByPeople)} opened it themselves`)}
${kpi('Click rate', `email-click-rate:${key}`, share(r.clickedByPeople, r.reached), fmtPct(share(r.clickedByPeople, r.reached)), `${fmtInt(r.clickedByPeople)} clicked a link`)}
${kpi('Click-to-open', `email-click-to-open:${key}`, share(r.clickedByPeople, r.openedByPeople), fmtPct(share(r.clickedByPeople, r.openedByPeople)), 'of those who opened')}
${kpi('Orders', `email-orders:${key}`, s.conversions.orders, fmtInt(s.conversions.orders), revenue.map(([currency, amount]) => fmtMoney(amount, currency)).join(' + ') || 'no revenue yet')}
</div>
<table class="table"><thead><tr><th></th><th>by people</th><th>by machines</th></tr></thead><tbody>
<tr><td><b>Opens</b></td><td>${metric(`email-human-opens:${key}`, s.opens.people, fmtInt(s.opens.people))}<small>${s.opens.by.gmail_proxy ? `${fmtInt(s.opens.by.gmail_proxy)} in Gmail` : ''}</small></td><td>${metric(`email-machine-opens:${key}`, s.opens.machines, fmtInt(s.opens.machines))}<small>${machineNote(s.opens)}</small></td></tr>
<tr><td><b>Clicks</b></td><td>${metric(`email-human-clicks:${key}`, s.clicks.people, fmtInt(s.clicks.people))}</td><td>${metric(`email-machine-clicks:${key}`, s.clicks.machines, fmtInt(s.clicks.machines))}<small>${machineNote(s.clicks)}</small></td></tr>
</tbody></table>
<h3>Opens and clicks by people over time</h3>${points.length ? timeChart(points, bucketMs, ['opens', 'clicks']) : '<p class="note">No opens or clicks yet.</p>'}
${
  s.links.length
    ? `<h3>Links<small>clicks by people; the destination as the email wrote it</small></h3>${barList(
        s.links.map((l) => ({
          label: l.linkUrl,
          value: l.clicks.people,
          note: `link ${l.linkId}${l.clicks.machines ? ` · ${fmtInt(l.clicks.machines)} by machines` : ''}`,
          metric: `email-link-clicks:${key}:${l.linkId}`,
        })),
        'var(--teal)',
      )}`
    : ''
}
</section>`
}

/**
 * The page `spoor email report` writes: per campaign, its subject, open, click and click-to-open rates, opens and
 * clicks by people and by machines, a timeline and its links, with the report's styles. Rates are of the
 * recipients seen (any open or click, a machine's included): spoor is not told how many were sent.
 *
 * @param stats - from `campaignStats`
 * @example
 * await writeFile('email.html', renderEmailReport(campaignStats(await readEventLines('./data'))))
 */
export function renderEmailReport(stats: CampaignStats[], { generatedAt = new Date(), source = '' } = {}): string {
  const body = `<header class="top">
<div class="brand">spoor</div>
<h1>Email campaigns</h1>
<div class="range">From ${esc(source || 'the NDJSON files')} · ${esc(generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC</div>
</header>
<main>
<section class="card intro"><p class="note">Machines are counted, never dropped: Apple Mail Privacy Protection loads every image on
delivery, and security scanners follow every link; both are set apart from what people did. Opens through Gmail's
image proxy are people opening the mail in Gmail. Rates are of the recipients seen opening or clicking, machines
included, since the sending service, not spoor, knows how many were sent.</p></section>
<div class="grid">${stats.length ? stats.map(campaignCard).join('\n') : '<section class="card span-2"><div class="empty">No email opens or clicks yet.</div></section>'}</div>
</main>`
  return `${htmlDocument('Email campaigns · spoor', styles, body)}\n`
}
