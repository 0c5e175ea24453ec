import { barList } from '../charts/bar-list.js'
import { hints } from '../hints.js'
import { plural } from '../html.js'
import { defineSection } from '../section.js'
import { linkClicksSql } from '../sql/link-clicks.js'

/** Where people leave to: clicks on links to other sites, by destination. */
export const outboundLinks = defineSection({
  id: 'outbound-links',
  kind: 'interaction',
  title: 'Outbound links',
  subtitle: 'Clicks on links to other sites, by destination (query left out)',
  hint: hints.clicks,
  load: ({ db }) => db.all<{ link: string; clicks: number; visitors: number }>(linkClicksSql('outbound')),
  filled: (rows) => rows.length > 0,
  render: (rows) =>
    barList(
      rows.map((r) => ({
        label: r.link,
        value: r.clicks,
        note: plural(r.visitors, 'visitor'),
        metric: `outbound:${r.link}`,
      })),
      'var(--teal)',
    ),
  csv: (rows) => ({ header: ['link', 'clicks', 'visitors'], rows: rows.map((r) => [r.link, r.clicks, r.visitors]) }),
})
