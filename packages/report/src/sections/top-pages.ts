import { barList } from '../charts/bar-list.js'
import { hints } from '../hints.js'
import { fmtInt, plural } from '../html.js'
import { rowFilterLink } from '../row-filter-link.js'
import { defineSection } from '../section.js'
import { mostWithVisitors } from '../sql/most-with-visitors.js'

const unknown = '(unknown)'
const shown = 8

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
    const most = (list: Parameters<typeof mostWithVisitors>[0]) =>
      db.all<PageRow>(`SELECT value AS path, n, visitors FROM (${mostWithVisitors(list)}) ORDER BY n DESC, path`)
    const top = await most({ from: 'pages', key: `coalesce(path, '${unknown}')`, visitor: 'visitor_key', limit: shown })
    // A visit's first and last page, from the visits' summaries (`load-visits.ts`).
    const ends = (end: 'entry' | 'exit') =>
      most({ from: 'visits', key: end, visitor: 'visitor', where: 'views > 0', limit: shown })
    return { top, entry: await ends('entry'), exit: await ends('exit') }
  },
  filled: (d) => d.top.length > 0,
  render: (d, view) => {
    // A row filters as it counts: the visits that viewed the page, or that started or ended there.
    const list = (rows: PageRow[], name: string, filter: 'page' | 'entry' | 'exit', tone?: string) =>
      barList(
        rows.map((r) => ({
          label: r.path,
          value: r.n,
          note: plural(r.visitors, 'visitor'),
          shown: fmtInt(r.n),
          metric: `${name}:${r.path}`,
          // Views without a path have no page to filter on.
          ...(r.path !== unknown ? { href: rowFilterLink(view, filter, r.path) } : {}),
        })),
        tone,
      )
    return `<div class="split three">
<div><h3>Top pages<small>page views</small></h3>${list(d.top, 'page-views', 'page')}</div>
<div><h3>Entry pages<small>visits that started there</small></h3>${list(d.entry, 'entry-visits', 'entry', 'var(--teal)')}</div>
<div><h3>Exit pages<small>visits that ended there</small></h3>${list(d.exit, 'exit-visits', 'exit', 'var(--violet)')}</div>
</div>`
  },
  csv: (d) => ({
    header: ['list', 'path', 'count', 'visitors'],
    rows: (['top', 'entry', 'exit'] as const).flatMap((list) => d[list].map((r) => [list, r.path, r.n, r.visitors])),
  }),
})
