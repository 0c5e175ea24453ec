import { barList } from '../charts/bar-list.js'
import { hints } from '../hints.js'
import { plural } from '../html.js'
import { defineSection } from '../section.js'
import { linkClicksSql } from '../sql/link-clicks.js'

/** Which files people download: clicks on file links (a `download` attribute or a file extension), by file. */
export const downloads = defineSection({
  id: 'downloads',
  kind: 'behavioral',
  title: 'File downloads',
  subtitle: 'Clicks on links to files, by file',
  hint: hints.clicks,
  load: ({ db }) => db.all<{ link: string; clicks: number; visitors: number }>(linkClicksSql('download')),
  filled: (rows) => rows.length > 0,
  render: (rows) =>
    barList(
      rows.map((r) => ({
        label: r.link,
        value: r.clicks,
        note: plural(r.visitors, 'visitor'),
        metric: `download:${r.link}`,
      })),
      'var(--amber)',
    ),
  csv: (rows) => ({ header: ['file', 'clicks', 'visitors'], rows: rows.map((r) => [r.link, r.clicks, r.visitors]) }),
})
