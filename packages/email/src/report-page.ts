import type { CampaignStats, Tally } from './campaign-stats.js'

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const h = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => escapes[c]!)

const machineDetail = (t: Tally) => `Apple MPP ${t.by.apple_mpp} · scanners ${t.by.scanner} · bots ${t.by.bot}`
const peopleDetail = (t: Tally) =>
  `in a browser or mail app ${t.by.human} · via Gmail ${t.by.gmail_proxy}` +
  (t.by.unclassified ? ` · unclassified ${t.by.unclassified}` : '')

const money = (revenue: Record<string, number>) =>
  Object.entries(revenue)
    .map(([currency, amount]) => `${amount.toFixed(2)} ${currency}`)
    .join(', ') || '—'

function campaignSection(stats: CampaignStats): string {
  const r = stats.recipients
  const links = stats.links
    .map(
      (link) =>
        `<tr><td>${h(link.linkId)}</td><td class="url">${h(link.linkUrl)}</td><td>${link.clicks.people}</td><td>${link.clicks.machines}</td></tr>`,
    )
    .join('\n')
  return `<section>
<h2>${h(stats.campaignId)}</h2>
<p class="muted">email ${stats.emailIds.map(h).join(', ') || '—'}</p>
<table>
<tr><th></th><th>by people</th><th>by machines</th><th>recipients (people)</th></tr>
<tr><th>Opens</th><td><b>${stats.opens.people}</b><br><small>${peopleDetail(stats.opens)}</small></td><td>${stats.opens.machines}<br><small>${machineDetail(stats.opens)}</small></td><td>${r.openedByPeople} <small>(${r.opened} counting machines)</small></td></tr>
<tr><th>Clicks</th><td><b>${stats.clicks.people}</b></td><td>${stats.clicks.machines}<br><small>${machineDetail(stats.clicks)}</small></td><td>${r.clickedByPeople} <small>(${r.clicked} counting machines)</small></td></tr>
<tr><th>Orders</th><td><b>${stats.conversions.fromPeople}</b></td><td>${stats.conversions.orders - stats.conversions.fromPeople}</td><td>revenue ${h(money(stats.conversions.revenue))}</td></tr>
</table>
${links ? `<h3>Links</h3>\n<table>\n<tr><th>link</th><th>destination</th><th>clicks by people</th><th>by machines</th></tr>\n${links}\n</table>` : ''}
</section>`
}

/**
 * The page an email sender reads: per campaign, opens and clicks by people and by machines, distinct recipients
 * and attributed orders. A self-contained HTML file (no script, no external resource).
 *
 * @param stats - from `campaignStats`
 * @example
 * await writeFile('report.html', renderReportPage(campaignStats(await readEventLines('./data'))))
 */
export function renderReportPage(stats: CampaignStats[], { generatedAt = new Date(), source = '' } = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Email campaigns · spoor</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
small, .muted { color: #666; }
.url { word-break: break-all; }
section { margin-bottom: 2.5rem; }
</style>
</head>
<body>
<h1>Email campaigns</h1>
<p class="muted">From ${h(source || 'the NDJSON files')}, ${h(generatedAt.toISOString())}. Machines are counted, never dropped:
Apple Mail Privacy Protection loads every image on delivery, security scanners follow every link, and both are split out
from what people did. Opens through Gmail's image proxy are people opening the mail in Gmail.</p>
${stats.length ? stats.map(campaignSection).join('\n') : '<p>No email opens or clicks yet.</p>'}
</body>
</html>
`
}
