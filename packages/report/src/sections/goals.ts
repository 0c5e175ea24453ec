import { sqlList } from '../compaction/sql.js'
import { hints } from '../hints.js'
import { esc, fmtInt, fmtPct, metric, share } from '../html.js'
import { defineSection } from '../section.js'
import { passiveEvents } from '../sql/visits.js'

// Recorded on their own for every page or click, or by spoor's email routes: measurements, not goals.
const notGoals = [...passiveEvents, 'Element Clicked', 'Email Opened', 'Email Link Clicked', 'Video Content Playing']

interface Goal {
  event: string
  visitors: number
  total: number
}

/**
 * Goals as Plausible counts them: every custom event name (a `track` call, or an element marked
 * `data-spoor-event="Name"`, which the tag sends under that name), with the visitors who completed it, how often,
 * and the conversion rate (those visitors ÷ all visitors).
 */
export const goals = defineSection({
  id: 'goals',
  kind: 'behavioral',
  title: 'Goals',
  subtitle: 'Custom events: visitors who completed each, how often, and the share of all visitors',
  hint: hints.goals,
  async load({ db }) {
    const goal = `type = 'track' AND NOT derived AND event IS NOT NULL AND event NOT IN (${sqlList(notGoals)})`
    const rows = await db.all<Goal>(
      `SELECT event, count(DISTINCT visitor_key) AS visitors, count(*) AS total FROM events WHERE ${goal}
       GROUP BY event ORDER BY visitors DESC, total DESC, event LIMIT 12`,
    )
    // Everyone who viewed a page, and a backend's converting visitor the browser never showed: a rate stays ≤ 100%.
    const [all] = await db.all<{ n: number }>(
      `SELECT count(DISTINCT visitor_key) AS n FROM events WHERE type = 'page' OR (${goal})`,
    )
    return { rows, visitors: all?.n ?? 0 }
  },
  filled: (d) => d.rows.length > 0,
  render: (d, view) =>
    `<table class="table"><thead><tr><th>goal</th><th>visitors</th><th>events</th><th>conversion</th></tr></thead><tbody>${d.rows
      .map(
        (
          g,
        ) => `<tr><td><b>${view?.filterLink ? `<a class="row-link" href="${esc(view.filterLink('goal', g.event))}">${esc(g.event)}</a>` : esc(g.event)}</b></td><td>${metric(`goal-visitors:${g.event}`, g.visitors, fmtInt(g.visitors))}</td>
<td>${metric(`goal-events:${g.event}`, g.total, fmtInt(g.total))}</td>
<td>${metric(`goal-conversion:${g.event}`, share(g.visitors, d.visitors), fmtPct(share(g.visitors, d.visitors)))}</td></tr>`,
      )
      .join('')}</tbody></table>`,
  csv: (d) => ({
    header: ['event', 'visitors', 'total', 'conversion_rate'],
    rows: d.rows.map((r) => [r.event, r.visitors, r.total, d.visitors ? r.visitors / d.visitors : 0]),
  }),
})
