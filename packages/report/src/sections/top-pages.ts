import { barList } from '../charts/bar-list.js'
import { fmtInt } from '../html.js'
import { defineSection } from '../section.js'

/** The most viewed pages. */
export const topPages = defineSection({
  id: 'top-pages',
  kind: 'interaction',
  title: 'Top pages',
  subtitle: 'Page views, with distinct visitors',
  feed: 'page events',
  load: ({ db }) =>
    db.all<{ path: string; views: number; visitors: number }>(
      `SELECT coalesce(path, '(unknown)') AS path, count(*) AS views, count(DISTINCT visitor) AS visitors
       FROM pages GROUP BY ALL ORDER BY views DESC, path LIMIT 8`,
    ),
  filled: (rows) => rows.length > 0,
  render: (rows) =>
    barList(
      rows.map((r) => ({
        label: r.path,
        value: r.views,
        note: `${fmtInt(r.visitors)} visitor${r.visitors === 1 ? '' : 's'}`,
        metric: `page-views:${r.path}`,
      })),
    ),
})
