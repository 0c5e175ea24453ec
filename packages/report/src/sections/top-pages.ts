import { barList } from '../charts/bar-list.js'
import { hints } from '../hints.js'
import { fmtInt, plural } from '../html.js'
import { defineSection } from '../section.js'

const unknown = '(unknown)'
const shown = 8

/**
 * The {@link shown} most frequent values of `key` among `from`'s rows, most first, each with its distinct visitors.
 * The ranking counts rows, so the visitors are counted for the values shown only: a distinct count holds every
 * visitor of every value it groups, and a site's long tail of pages is most of that work (the benchmark's 2.8
 * million page views of 109 paths: 0.35–0.43 s for all, 0.17–0.21 s for the top eight's).
 */
const mostWithVisitors = (from: string, key: string, visitor: string, where = 'true') => `
  WITH ranked AS (SELECT ${key} AS path, ${visitor} AS visitor FROM ${from} WHERE ${where}),
       top AS MATERIALIZED (SELECT path, count(*) AS n FROM ranked GROUP BY path ORDER BY n DESC, path LIMIT ${shown})
  SELECT top.path, any_value(top.n) AS n, count(DISTINCT ranked.visitor) AS visitors
  FROM ranked JOIN top ON ranked.path IS NOT DISTINCT FROM top.path
  GROUP BY top.path ORDER BY n DESC, path`

interface PageRow {
  path: string
  n: number
  visitors: number
}

/** The most viewed pages, and the pages visits start on (entry) and end on (exit). */
export const topPages = defineSection({
  id: 'top-pages',
  kind: 'interaction',
  title: 'Pages',
  subtitle: 'Page views; entry and exit pages are the first and last page of each visit',
  hint: hints.tag,
  span: 2,
  async load({ db }) {
    const top = await db.all<PageRow>(mostWithVisitors('pages', `coalesce(path, '${unknown}')`, 'visitor_key'))
    // A visit's first and last page, from the visits' summaries (`load-visits.ts`).
    const ends = (end: 'entry' | 'exit') => db.all<PageRow>(mostWithVisitors('visits', end, 'visitor', 'views > 0'))
    return { top, entry: await ends('entry'), exit: await ends('exit') }
  },
  filled: (d) => d.top.length > 0,
  render: (d, view) => {
    const list = (rows: PageRow[], name: string, tone?: string) =>
      barList(
        rows.map((r) => ({
          label: r.path,
          value: r.n,
          note: plural(r.visitors, 'visitor'),
          shown: fmtInt(r.n),
          metric: `${name}:${r.path}`,
          // Views without a path have no page to filter on.
          ...(view?.filterLink && r.path !== unknown ? { href: view.filterLink('page', r.path) } : {}),
        })),
        tone,
      )
    return `<div class="split three">
<div><h3>Top pages<small>page views</small></h3>${list(d.top, 'page-views')}</div>
<div><h3>Entry pages<small>visits that started there</small></h3>${list(d.entry, 'entry-visits', 'var(--teal)')}</div>
<div><h3>Exit pages<small>visits that ended there</small></h3>${list(d.exit, 'exit-visits', 'var(--violet)')}</div>
</div>`
  },
  csv: (d) => ({
    header: ['list', 'path', 'count', 'visitors'],
    rows: (['top', 'entry', 'exit'] as const).flatMap((list) => d[list].map((r) => [list, r.path, r.n, r.visitors])),
  }),
})
