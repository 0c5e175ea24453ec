import { hints } from '../hints.js'
import { fmtInt, fmtPct, share, shownLabel } from '../html.js'
import { defineSection } from '../section.js'

interface Flow {
  steps: string[]
  sessions: number
}

/** The most common paths through the site, from the landing page, repeats of one page folded. */
export const flows = defineSection({
  id: 'flows',
  kind: 'interaction',
  title: 'User flows',
  subtitle: 'The first four pages of each session, from its landing page',
  hint: hints.tag,
  async load({ db, headline }) {
    // Each visit's flow is in its summary (`load-visits.ts`): the page views are not ordered again per view.
    const rows = await db.all<Flow>(
      `SELECT steps, count(*) AS sessions FROM visits WHERE views > 0
       GROUP BY steps ORDER BY sessions DESC, len(steps) DESC, steps::VARCHAR LIMIT 7`,
    )
    // A flow's share is of the visits with a page view: the headline's, counted once per view.
    return { rows, total: (await headline()).sessions }
  },
  filled: (d) => d.rows.length > 0,
  render: (d) => {
    const max = Math.max(1, ...d.rows.map((r) => r.sessions))
    return `<ol class="flows">${d.rows
      .map(
        (
          r,
        ) => `<li><div class="steps">${r.steps.map((s, i) => `${i ? '<span class="arrow">→</span>' : ''}<span class="step${i === 0 ? ' landing' : ''}">${shownLabel(s)}</span>`).join('')}</div>
<div class="flow-bar"><span style="width:${((r.sessions / max) * 100).toFixed(1)}%"></span></div>
<div class="value" data-metric="${shownLabel(`flow:${r.steps.join(' > ')}`)}" data-value="${r.sessions}">${fmtInt(r.sessions)} <small>${fmtPct(share(r.sessions, d.total))}</small></div></li>`,
      )
      .join('')}</ol>`
  },
  csv: (d) => ({ header: ['steps', 'sessions'], rows: d.rows.map((r) => [r.steps.join(' > '), r.sessions]) }),
})
