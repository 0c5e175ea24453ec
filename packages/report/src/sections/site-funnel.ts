import { linkChoices } from '../controls/link-choices.js'
import type { Db } from '../duckdb.js'
import type { Funnel, FunnelStep } from '../funnels/funnel-config.js'
import { funnelSql } from '../funnels/funnel-sql.js'
import { hints } from '../hints.js'
import { esc, fmtInt, fmtPct, share } from '../html.js'
import { defineSection } from '../section.js'

interface CountedFunnel {
  name: string
  steps: { step: FunnelStep; visits: number }[]
}

interface FunnelsData {
  counted: CountedFunnel[]
  /** Every funnel the site defines, for the links between them. */
  names: string[]
}

const stepLabel = (step: FunnelStep) => ('page' in step ? `Viewed ${step.page}` : step.event)

async function countFunnel(db: Db, funnel: Funnel): Promise<CountedFunnel> {
  const { sql, params } = funnelSql(funnel.steps)
  const [row] = await db.all<Record<string, number>>(sql, params)
  return { name: funnel.name, steps: funnel.steps.map((step, k) => ({ step, visits: row?.[`v${k}`] ?? 0 })) }
}

const bars = (funnel: CountedFunnel) => {
  const top = Math.max(1, funnel.steps[0]!.visits)
  return `<ol class="funnel">${funnel.steps
    .map(
      (s, i) => `<li>
<div class="funnel-label">${esc(stepLabel(s.step))}<small>step ${i + 1}</small></div>
<div class="funnel-bar"><span style="width:${Math.max(2, (s.visits / top) * 100).toFixed(1)}%"></span></div>
<div class="value"><b data-metric="site-funnel:${esc(funnel.name)}:${i + 1}" data-value="${s.visits}">${fmtInt(s.visits)}</b>${i ? `<small>${fmtPct(share(s.visits, funnel.steps[i - 1]!.visits))} of previous</small>` : ''}</div>
</li>`,
    )
    .join('')}</ol>`
}

/**
 * The funnels a site defines in its config (`sites[].funnels`): the visits reaching each step (pages viewed, events
 * sent) in order, as Plausible counts its funnels, per visit. The dashboard shows one and links the others; a file
 * report shows them all. The shop funnel (`funnel.ts`) follows a visitor across visits instead: a shopper often
 * comes back to buy.
 */
export const siteFunnel = defineSection({
  id: 'site-funnel',
  kind: 'behavioral',
  title: 'Funnels',
  subtitle: 'Visits reaching each step of a funnel your config defines, in order',
  hint: hints.funnels,
  async load({ db, funnels }): Promise<FunnelsData> {
    const counted: CountedFunnel[] = []
    for (const funnel of funnels?.shown ?? []) counted.push(await countFunnel(db, funnel))
    return { counted, names: funnels?.names ?? [] }
  },
  filled: (d) => d.counted.length > 0,
  render: (d, view) => {
    const link = view?.settingLink
    const current = d.counted.length === 1 ? d.counted[0]!.name : undefined
    const others =
      link && d.names.length > 1
        ? linkChoices(
            'Funnels',
            'choices',
            d.names.map((name) => ({ href: link('funnel', name), label: name, current: name === current })),
          )
        : ''
    return others + d.counted.map((funnel) => `<h3>${esc(funnel.name)}</h3>${bars(funnel)}`).join('')
  },
  csv: (d) => ({
    header: ['funnel', 'step', 'page', 'event', 'visits'],
    rows: d.counted.flatMap((funnel) =>
      funnel.steps.map((s, i) => [
        funnel.name,
        i + 1,
        'page' in s.step ? s.step.page : null,
        'event' in s.step ? s.step.event : null,
        s.visits,
      ]),
    ),
  }),
})
