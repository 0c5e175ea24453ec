import { barList } from '../charts/bar-list.js'
import type { FilterName } from '../filters.js'
import { hints } from '../hints.js'
import { fmtInt, fmtMoney, linkedLabel, metric, scrollingTable, shownLabel } from '../html.js'
import { rowFilterLink } from '../row-filter-link.js'
import { defineSection } from '../section.js'
import { channelSql } from '../sql/channels.js'
import { utmTagged } from '../sql/utm-tags.js'

/** A list's row: a value and the sessions it names. */
interface Tagged {
  label: string
  sessions: number
}

interface Sources {
  channels: Tagged[]
  /** The referrers' hosts, `(direct)` for none. */
  referrers: Tagged[]
  /** The visits' first utm_source and utm_medium, for the visits tagged with one. */
  utmSources: Tagged[]
  utmMediums: Tagged[]
  /** The utm terms and contents the visits' lines were tagged with (a visit with two counts under both). */
  utmTerms: Tagged[]
  utmContents: Tagged[]
  campaigns: {
    name: string
    source: string | null
    medium: string | null
    sessions: number
    orders: number
    revenue: number
    currency: string | null
  }[]
}

/**
 * Where sessions come from: their channel (search, social, email, paid...: `sql/channels.ts`), the referrer of their
 * landing page, and the campaign of their visit.
 */
export const sources = defineSection({
  id: 'sources',
  kind: 'interaction',
  title: 'Channels, referrers and campaigns',
  subtitle: 'Sessions by channel, by the site that sent them, by utm tags and campaign, with the orders they brought',
  hint: hints.tag,
  span: 2,
  async load({ db }) {
    // The channels, the referrers and the utm tags from one grouping of the visits: a site has few distinct sources
    // and tags, so the channel's patterns run once per group, not once per visit.
    const rows = await db.all<Tagged & { list: 'channel' | 'referrer' | 'utm-source' | 'utm-medium' }>(
      `WITH tagged AS MATERIALIZED (
         SELECT source, utm_source, utm_medium, count(*) AS sessions FROM visits WHERE views > 0 GROUP BY ALL
       )
       SELECT 'referrer' AS list, source AS label, sum(sessions) AS sessions FROM tagged GROUP BY source
       UNION ALL
       SELECT 'channel', channel, sum(sessions) FROM (SELECT ${channelSql()} AS channel, sessions FROM tagged)
       GROUP BY channel
       UNION ALL
       SELECT 'utm-source', utm_source, sum(sessions) FROM tagged WHERE utm_source IS NOT NULL GROUP BY utm_source
       UNION ALL
       SELECT 'utm-medium', utm_medium, sum(sessions) FROM tagged WHERE utm_medium IS NOT NULL GROUP BY utm_medium
       ORDER BY list, sessions DESC, label`,
    )
    const list = (name: (typeof rows)[number]['list'], top: number) =>
      rows
        .filter((r) => r.list === name)
        .slice(0, top)
        .map(({ label, sessions }) => ({ label, sessions }))
    const channels = list('channel', Infinity)
    const referrers = list('referrer', 6)
    const utmSources = list('utm-source', 6)
    const utmMediums = list('utm-medium', 6)
    // Terms and contents are not in the visit summaries: they are read from the tagged lines. At ten million events,
    // 4 million lines of a month carry a campaign; finding none with a term took 50-60 ms.
    const tags = await db.all<Tagged & { list: 'utm-term' | 'utm-content' }>(
      (['term', 'content'] as const)
        .map(
          (tag) => `SELECT * FROM (SELECT 'utm-${tag}' AS list, tag AS label, count(DISTINCT session_id) AS sessions
            FROM (${utmTagged(tag)}) WHERE tag IS NOT NULL GROUP BY tag ORDER BY sessions DESC, tag LIMIT 6)`,
        )
        .join(' UNION ALL '),
    )
    const utmTerms = tags.filter((r) => r.list === 'utm-term').map(({ label, sessions }) => ({ label, sessions }))
    const utmContents = tags.filter((r) => r.list === 'utm-content').map(({ label, sessions }) => ({ label, sessions }))
    const campaigns = await db.all<Sources['campaigns'][number]>(
      // A visit's campaign is that of its first tagged line, in its summary (`sql/visits.ts`).
      `WITH sessions AS (
         SELECT session_id, campaign.name AS name, campaign.source AS source, campaign.medium AS medium
         FROM visits WHERE campaign IS NOT NULL
       ),
       orders AS (
         SELECT session_id, count(*) AS orders, sum(order_value(properties)) AS revenue, mode(prop_currency) AS currency
         FROM events WHERE event = 'Order Completed' GROUP BY session_id
       )
       SELECT s.name, any_value(s.source) AS source, any_value(s.medium) AS medium, count(*) AS sessions,
              coalesce(sum(o.orders), 0) AS orders, coalesce(sum(o.revenue), 0) AS revenue, mode(o.currency) AS currency
       FROM sessions s LEFT JOIN orders o USING (session_id)
       GROUP BY s.name ORDER BY sessions DESC, s.name LIMIT 6`,
    )
    return { channels, referrers, utmSources, utmMediums, utmTerms, utmContents, campaigns }
  },
  filled: (d) => d.referrers.length > 0,
  render: (d, view) => {
    // A list of sessions per value, each row filtering the view by it (a utm source as a source does).
    const sessions = (rows: Tagged[], metricName: string, filter: FilterName, tone: string) =>
      barList(
        rows.map((r) => ({
          label: r.label,
          value: r.sessions,
          metric: `${metricName}:${r.label}`,
          href: rowFilterLink(view, filter, r.label),
        })),
        tone,
      )
    const tags =
      d.utmSources.length + d.utmMediums.length > 0
        ? `<div class="split"><div><h3>UTM sources<small>sessions tagged with one</small></h3>${sessions(d.utmSources, 'utm-source-sessions', 'source', 'var(--slate)')}</div>
<div><h3>UTM mediums<small>sessions tagged with one</small></h3>${sessions(d.utmMediums, 'utm-medium-sessions', 'medium', 'var(--slate)')}</div></div>`
        : ''
    const terms =
      d.utmTerms.length + d.utmContents.length > 0
        ? `<div class="split"><div><h3>UTM terms<small>sessions tagged with one</small></h3>${sessions(d.utmTerms, 'utm-term-sessions', 'term', 'var(--slate)')}</div>
<div><h3>UTM contents<small>sessions tagged with one</small></h3>${sessions(d.utmContents, 'utm-content-sessions', 'content', 'var(--slate)')}</div></div>`
        : ''
    return `<div class="split three">
<div><h3>Channels</h3>${sessions(d.channels, 'channel-sessions', 'channel', 'var(--accent)')}</div>
<div><h3>Referrers</h3>${sessions(d.referrers, 'referrer-sessions', 'source', 'var(--teal)')}</div>
<div><h3>Campaigns</h3>${d.campaigns.length ? '' : '<p class="note">No campaign yet: add utm_source, utm_medium and utm_campaign to the links you share to see them here.</p>'}${scrollingTable(
      'Campaigns',
      `<table class="table"><thead><tr><th>campaign</th><th>sessions</th><th>orders</th><th>revenue</th></tr></thead><tbody>${d.campaigns
        .map(
          (
            c,
          ) => `<tr><td><b>${linkedLabel(c.name, rowFilterLink(view, 'campaign', c.name))}</b><small>${shownLabel([c.source, c.medium].filter(Boolean).join(' / '))}</small></td>
<td>${metric(`campaign-sessions:${c.name}`, c.sessions, fmtInt(c.sessions))}</td><td>${metric(`campaign-orders:${c.name}`, c.orders, fmtInt(c.orders))}</td>
<td>${metric(`campaign-revenue:${c.name}`, c.revenue, fmtMoney(c.revenue, c.currency))}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    )}</div></div>${tags}${terms}`
  },
  csv: (d) => ({
    header: ['kind', 'name', 'source', 'medium', 'sessions', 'orders', 'revenue', 'currency'],
    rows: [
      ...(
        [
          ['channel', d.channels],
          ['referrer', d.referrers],
          ['utm_source', d.utmSources],
          ['utm_medium', d.utmMediums],
          ['utm_term', d.utmTerms],
          ['utm_content', d.utmContents],
        ] as const
      ).flatMap(([kind, rows]) => rows.map((r) => [kind, r.label, null, null, r.sessions, null, null, null])),
      ...d.campaigns.map((c) => ['campaign', c.name, c.source, c.medium, c.sessions, c.orders, c.revenue, c.currency]),
    ],
  }),
})
