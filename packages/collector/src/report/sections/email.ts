import { esc, fmtInt, fmtMoney, fmtPct, metric, share } from '../html.js'
import { defineSection } from '../section.js'

interface CampaignRow {
  campaign: string
  humanOpens: number
  machineOpens: number
  openers: number
  humanClicks: number
  machineClicks: number
  clickers: number
  orders: number
  revenue: number
  currency: string | null
  apple: number
  gmail: number
  scanner: number
  bot: number
}

/**
 * Opens and clicks per email campaign with machine traffic split out, from each event's `classification`. Gmail's
 * image proxy fetches when the reader opens the mail (and honours no-cache), so `gmail_proxy` counts as a person;
 * Apple Mail Privacy Protection prefetches on delivery (`apple_mpp`), and `scanner` and `bot` are machines.
 * Orders join to a person's click through `context.campaign.spoor_c`.
 */
export const email = defineSection({
  id: 'email',
  kind: 'interaction',
  title: 'Email campaigns',
  subtitle: 'Opens and clicks by people, with machine opens and clicks (Apple Mail Privacy, Gmail proxy, scanners, bots) set apart',
  feed: 'Email Opened and Email Link Clicked from the collector\u2019s pixel and click routes',
  span: 2,
  load: ({ db }) =>
    db.all<CampaignRow>(
      `WITH e AS (
         SELECT messageId, event, coalesce(properties->>'$.campaign_id', '(none)') AS campaign,
                coalesce(properties->>'$.classification', 'human') AS class,
                coalesce(properties->>'$.classification', 'human') IN ('human', 'gmail_proxy') AS person,
                coalesce(properties->>'$.recipient_id', visitor) AS recipient
         FROM events WHERE event IN ('Email Opened', 'Email Link Clicked')
       ),
       conversions AS (
         SELECT e.campaign, count(*) AS orders, sum(order_value(o.properties)) AS revenue, mode(o.properties->>'$.currency') AS currency
         FROM events o JOIN e ON e.messageId = (o.context->>'$.campaign.spoor_c') AND e.event = 'Email Link Clicked' AND e.person
         WHERE o.event = 'Order Completed' GROUP BY e.campaign
       )
       SELECT e.campaign,
         count(*) FILTER (event = 'Email Opened' AND person) AS humanOpens,
         count(*) FILTER (event = 'Email Opened' AND NOT person) AS machineOpens,
         count(DISTINCT recipient) FILTER (event = 'Email Opened' AND person) AS openers,
         count(*) FILTER (event = 'Email Link Clicked' AND person) AS humanClicks,
         count(*) FILTER (event = 'Email Link Clicked' AND NOT person) AS machineClicks,
         count(DISTINCT recipient) FILTER (event = 'Email Link Clicked' AND person) AS clickers,
         coalesce(any_value(c.orders), 0) AS orders, coalesce(any_value(c.revenue), 0) AS revenue, any_value(c.currency) AS currency,
         count(*) FILTER (event = 'Email Opened' AND class = 'apple_mpp') AS apple,
         count(*) FILTER (event = 'Email Opened' AND class = 'gmail_proxy') AS gmail,
         count(*) FILTER (event = 'Email Link Clicked' AND class = 'scanner') AS scanner,
         count(*) FILTER (event = 'Email Link Clicked' AND class = 'bot') AS bot
       FROM e LEFT JOIN conversions c USING (campaign)
       GROUP BY e.campaign ORDER BY humanOpens + humanClicks DESC, e.campaign LIMIT 8`,
    ),
  filled: (rows) => rows.length > 0,
  render: (rows) => `<table class="table email"><thead><tr>
<th>campaign</th><th>opens by people</th><th>machine opens</th><th>unique openers</th><th>clicks by people</th><th>machine clicks</th><th>click-to-open</th><th>orders</th><th>traffic</th>
</tr></thead><tbody>${rows
    .map((r) => {
      const total = r.humanOpens + r.machineOpens + r.humanClicks + r.machineClicks
      const segment = (n: number, cls: string, title: string) => (n ? `<span class="${cls}" style="width:${((n / total) * 100).toFixed(1)}%" title="${title}: ${n}"></span>` : '')
      const key = esc(r.campaign)
      return `<tr><td><b>${key}</b></td>
<td>${metric(`email-human-opens:${r.campaign}`, r.humanOpens, fmtInt(r.humanOpens))}<small>${r.gmail ? `${r.gmail} through Gmail's proxy` : ''}</small></td>
<td>${metric(`email-machine-opens:${r.campaign}`, r.machineOpens, fmtInt(r.machineOpens))}<small>${[r.apple && `${r.apple} Apple MPP`, r.machineOpens - r.apple > 0 && `${r.machineOpens - r.apple} ${r.machineOpens - r.apple === 1 ? 'robot' : 'robots'}`].filter(Boolean).join(' · ')}</small></td>
<td>${metric(`email-openers:${r.campaign}`, r.openers, fmtInt(r.openers))}</td>
<td>${metric(`email-human-clicks:${r.campaign}`, r.humanClicks, fmtInt(r.humanClicks))}</td>
<td>${metric(`email-machine-clicks:${r.campaign}`, r.machineClicks, fmtInt(r.machineClicks))}<small>${[r.scanner && `${r.scanner} scanner`, r.bot && `${r.bot} bot`].filter(Boolean).join(' · ')}</small></td>
<td>${fmtPct(share(r.clickers, r.openers))}</td>
<td>${metric(`email-orders:${r.campaign}`, r.orders, fmtInt(r.orders))}<small>${r.orders ? fmtMoney(r.revenue, r.currency) : ''}</small></td>
<td class="traffic"><div class="stack">${segment(r.humanOpens + r.humanClicks, 'human', 'people')}${segment(r.apple, 'proxy', 'Apple Mail Privacy Protection')}${segment(r.machineOpens + r.machineClicks - r.apple, 'robot', 'scanners and bots')}</div></td></tr>`
    })
    .join('')}</tbody></table>
<div class="legend"><span class="swatch human"></span>people (Gmail's proxy included: it fetches when the mail is opened)<span class="swatch proxy"></span>Apple Mail Privacy Protection prefetch<span class="swatch robot"></span>link scanners and bots</div>`,
})
