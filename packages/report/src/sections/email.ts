import { type CampaignStats, campaignStats } from '@spoor/email'
import type { EventLine } from '@spoor/protocol'
import { sqlList } from '../compaction/sql.js'
import { hints } from '../hints.js'
import { fmtInt, fmtMoney, fmtPct, metric, scrollingTable, share, shownLabel } from '../html.js'
import { defineSection } from '../section.js'
import { clickIdCarried, emailEventNames } from '../sql/email-rows.js'

interface Row {
  messageId: string
  type: string
  event: string | null
  userId: string | null
  anonymousId: string | null
  properties: string
  context: string
  receivedAt: Date
  timestamp: Date
  writeKey: string
}

// What `campaignStats` reads: the opens and clicks, the events that landed with a click id, and the orders a click
// can have brought (an order is tied to a click by the id it carries, else by the latest one its device landed
// with; a backend's order that knows only the person, by the devices that person was seen on). The other orders
// are left in the database: at a busy shop they were most of the rows this section read, and none counts.
// Each part asks by event name, or for the rows with a click id: those kept their context (see `emailRows`), so that
// part reads only the rows with one, once. An OR of the two in one query read, and decoded, every row of the period,
// where these skip the row groups of the compacted days (sorted by event) that hold none of what they ask for.
const quotedEmailEvents = sqlList(emailEventNames)
const wholeColumns = `messageId, type, event, userId, anonymousId, properties::VARCHAR AS properties,
  email_context::VARCHAR AS context, receivedAt, timestamp, writeKey`
const carriesClickId = `(email_context IS NOT NULL AND ${clickIdCarried})`
const emailEvents = `
  WITH carriers AS MATERIALIZED (SELECT ${wholeColumns} FROM events WHERE NOT derived AND ${carriesClickId}),
  landed AS (SELECT DISTINCT anonymousId FROM carriers WHERE anonymousId IS NOT NULL),
  people AS (
    SELECT DISTINCT userId FROM events
    WHERE NOT derived AND userId IS NOT NULL AND anonymousId IN (SELECT anonymousId FROM landed)
  )
  SELECT * FROM carriers
  UNION ALL
  SELECT ${wholeColumns} FROM events
  WHERE NOT derived AND event IN (${quotedEmailEvents}) AND NOT ${carriesClickId}
  UNION ALL
  SELECT ${wholeColumns} FROM events
  WHERE NOT derived AND event = 'Order Completed' AND NOT ${carriesClickId}
    AND (anonymousId IN (SELECT anonymousId FROM landed) OR userId IN (SELECT userId FROM people))`

const toLine = (row: Row): EventLine => ({
  messageId: row.messageId,
  type: row.type as EventLine['type'],
  event: row.event,
  name: null,
  category: null,
  userId: row.userId,
  anonymousId: row.anonymousId,
  groupId: null,
  previousId: null,
  properties: JSON.parse(row.properties ?? '{}'),
  traits: {},
  context: JSON.parse(row.context ?? '{}'),
  originalTimestamp: null,
  sentAt: null,
  receivedAt: row.receivedAt.toISOString(),
  timestamp: row.timestamp.toISOString(),
  writeKey: row.writeKey,
})

/** The revenue of a campaign's orders, largest currency first. */
const revenueOf = (stats: CampaignStats) => Object.entries(stats.conversions.revenue).sort((a, b) => b[1] - a[1])

/**
 * Opens and clicks per email campaign with machine traffic split out, and the orders the clicks brought: the
 * numbers of `campaignStats` (the same as `spoor email report`), over the report's period and site. Gmail's image
 * proxy fetches when the reader opens the mail, so it counts with people; Apple Mail Privacy Protection prefetches
 * on delivery, and scanners and bots are machines (`isMachine`).
 */
export const email = defineSection({
  id: 'email',
  kind: 'interaction',
  title: 'Email campaigns',
  subtitle:
    'Opens and clicks by people (Gmail’s image proxy included), machines (Apple Mail Privacy, scanners, bots) set apart',
  hint: hints.email,
  span: 2,
  async load({ db }) {
    const lines = (await db.all<Row>(emailEvents)).map(toLine)
    const people = (s: CampaignStats) => s.opens.people + s.clicks.people
    return campaignStats(lines)
      .sort((a, b) => people(b) - people(a) || a.campaignId.localeCompare(b.campaignId))
      .slice(0, 8)
  },
  filled: (campaigns) => campaigns.length > 0,
  render: (campaigns) => `${scrollingTable(
    'Email campaigns',
    `<table class="table email"><thead><tr>
<th>campaign</th><th>opens by people</th><th>machine opens</th><th>unique openers</th><th>clicks by people</th><th>machine clicks</th><th>click-to-open</th><th>orders</th><th>traffic</th>
</tr></thead><tbody>${campaigns
      .map((s) => {
        const { opens, clicks, recipients, conversions } = s
        const apple = opens.by.apple_mpp + clicks.by.apple_mpp
        const total = opens.total + clicks.total
        const segment = (n: number, cls: string, title: string) =>
          n
            ? `<span class="${cls}" style="width:${((n / total) * 100).toFixed(1)}%" title="${title}: ${n}"></span>`
            : ''
        const key = s.campaignId
        const robots = opens.machines - opens.by.apple_mpp
        const revenue = revenueOf(s)
        const flagged = conversions.orders - conversions.fromPeople
        return `<tr><td><b>${shownLabel(key)}</b><small>${s.subjects.map(shownLabel).join(' · ')}</small></td>
<td>${metric(`email-human-opens:${key}`, opens.people, fmtInt(opens.people))}<small>${opens.by.gmail_proxy ? `${opens.by.gmail_proxy} through Gmail's proxy` : ''}</small></td>
<td>${metric(`email-machine-opens:${key}`, opens.machines, fmtInt(opens.machines))}<small>${[opens.by.apple_mpp && `${opens.by.apple_mpp} Apple MPP`, robots > 0 && `${robots} ${robots === 1 ? 'robot' : 'robots'}`].filter(Boolean).join(' · ')}</small></td>
<td>${metric(`email-openers:${key}`, recipients.openedByPeople, fmtInt(recipients.openedByPeople))}</td>
<td>${metric(`email-human-clicks:${key}`, clicks.people, fmtInt(clicks.people))}</td>
<td>${metric(`email-machine-clicks:${key}`, clicks.machines, fmtInt(clicks.machines))}<small>${[clicks.by.scanner && `${clicks.by.scanner} scanner`, clicks.by.bot && `${clicks.by.bot} bot`].filter(Boolean).join(' · ')}</small></td>
<td>${fmtPct(share(recipients.clickedByPeople, recipients.openedByPeople))}</td>
<td>${metric(`email-orders:${key}`, conversions.orders, fmtInt(conversions.orders))}<small>${revenue.map(([currency, amount], i) => (i ? ' + ' : '') + (i ? fmtMoney(amount, currency) : metric(`email-revenue:${key}`, amount, fmtMoney(amount, currency)))).join('')}${flagged ? ` · ${flagged} after a click flagged as a machine` : ''}</small></td>
<td class="traffic"><div class="stack">${segment(opens.people + clicks.people, 'human', 'people')}${segment(apple, 'proxy', 'Apple Mail Privacy Protection')}${segment(opens.machines + clicks.machines - apple, 'robot', 'scanners and bots')}</div></td></tr>`
      })
      .join('')}</tbody></table>`,
  )}
<div class="legend"><span class="swatch human"></span>people (Gmail's proxy included: it fetches when the mail is opened)<span class="swatch proxy"></span>Apple Mail Privacy Protection prefetch<span class="swatch robot"></span>link scanners and bots</div>`,
})
