import { controlStyles } from './controls/styles.js'
import type { CsvTable } from './csv.js'
import { esc, htmlDocument, plural } from './html.js'
import type { DataKind } from './section.js'
import { styles } from './styles.js'

/** A rendered section, ready for the page. */
export interface RenderedSection {
  id: string
  kind: DataKind
  title: string
  subtitle: string
  span: 1 | 2
  html: string
  filled: boolean
  /** What fills it, for a site owner (shown once per hint for every empty section). */
  hint: string
  /** A shop's section: left out while no shop section has data. */
  shop: boolean
  /** Its rows for the CSV export, when the section has a table to give. */
  csv?: CsvTable
}

/** The report's header: title, period, when, how many events. */
export interface PageInfo {
  title: string
  from: Date
  to: Date
  generatedAt: Date
  events: number
  /** Lines skipped because they could not be read (default none). */
  unreadable?: number
  /** The dashboard's toolbar (range, filters, visitors now), shown above the headline figures. */
  controls?: string
  /** The link exporting a section's rows as CSV (a file report has none: it has no server to ask). */
  csvLink?: (id: string) => string
  /** Reload the page this often (the dashboard's real-time view). */
  refreshSeconds?: number
  /** The view in words for the page's title (the dashboard's period and filters; a file report's dates without). */
  view?: string
}

const groups: { kind: DataKind; name: string; question: string }[] = [
  { kind: 'interaction', name: 'Interaction', question: 'how people meet the brand' },
  { kind: 'behavioral', name: 'Behavioral', question: 'what people do' },
  { kind: 'performance', name: 'Performance', question: 'how fast it feels' },
  { kind: 'attitudinal', name: 'Attitudinal', question: 'what people think' },
  { kind: 'basic', name: 'Basic', question: 'who they are' },
]

const day = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ')

const mark = `<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"><circle cx="6" cy="17" r="2.4"/><circle cx="12" cy="11" r="2.4"/><circle cx="18" cy="5" r="2.4"/></svg>`

// Named by its panel: a screen reader's list of links, or a tab onto one, otherwise says "CSV" twenty times over
// (WCAG 2.4.4). The visible word stays in the name (2.5.3), so "click CSV" works by voice.
const exportLink = (s: RenderedSection, csvLink: PageInfo['csvLink']) =>
  csvLink && s.csv
    ? `<a class="export" href="${esc(csvLink(s.id))}" download aria-label="${esc(s.title)} as CSV">CSV</a>`
    : ''

const card = (s: RenderedSection, csvLink: PageInfo['csvLink']) =>
  `<section class="card span-${s.span}" id="${esc(s.id)}" data-section="${esc(s.id)}"${s.filled ? '' : ' data-empty'}>
${exportLink(s, csvLink)}<h3>${esc(s.title)}</h3><p class="sub">${esc(s.subtitle)}</p>
${s.html}
</section>`

/**
 * The sections with nothing to show, gathered in one card: each hint once, with the panels it would fill (a page
 * of empty cards each naming the events behind it says nothing a site owner can act on).
 */
function waitingCard(waiting: RenderedSection[]): string {
  if (!waiting.length) return ''
  const byHint = new Map<string, RenderedSection[]>()
  for (const s of waiting) byHint.set(s.hint, [...(byHint.get(s.hint) ?? []), s])
  const items = [...byHint]
    .map(
      ([hint, list]) =>
        `<li><p>${esc(hint)}</p><div class="fills">${list.map((s) => `<span class="chip" data-section="${esc(s.id)}" data-empty>${esc(s.title)}</span>`).join('')}</div></li>`,
    )
    .join('')
  return `<section class="card waiting" id="not-yet"><h2>Not measured yet</h2><p class="sub">Nothing in this period for these panels; here is how to fill them</p><ul class="hints">${items}</ul></section>`
}

/**
 * The whole report as one HTML document: inline styles and SVG, no script, nothing fetched. On the dashboard, links
 * and a GET form make it interactive; a file report has neither.
 */
export function renderPage(info: PageInfo, sections: RenderedSection[]): string {
  const overview = sections.find((s) => s.id === 'overview')
  // A site that sells nothing is not shown an empty shop: its panels appear once any of them has data.
  const shop = sections.some((s) => s.shop && s.filled)
  const rest = sections.filter((s) => s.id !== 'overview' && (shop || !s.shop))
  // A section that failed says so in its card; one that is only empty waits in the list of what to set up.
  const shown = rest.filter((s) => s.filled || s.html)
  const waiting = rest.filter((s) => !s.filled && !s.html)
  const present = groups.filter((group) => shown.some((s) => s.kind === group.kind))
  const body = present
    .map((group) => {
      const cards = shown.filter((s) => s.kind === group.kind)
      // The space keeps the two words apart in the heading's name, which read "Interactionhow"; the margin draws it.
      return `<div class="group" id="kind-${group.kind}"><h2>${group.name} <span class="question">${group.question}</span></h2><div class="grid">${cards.map((s) => card(s, info.csvLink)).join('\n')}</div></div>`
    })
    .join('\n')
  // The first thing a keyboard reaches: the way past the header's links and the dashboard's toolbar (some forty
  // stops) to the figures (WCAG 2.4.1).
  const figures = overview ? 'overview' : present[0] ? `kind-${present[0].kind}` : 'not-yet'
  const page = `<a class="skip" href="#${figures}">Skip to the figures</a>
<header class="top">
<div class="brand">${mark} spoor</div>
<h1>${esc(info.title)}</h1>
<div class="range">${day(info.from)} → ${day(info.to)} UTC · ${plural(info.events, 'event')}${info.unreadable ? ` · <span data-unreadable="${info.unreadable}">${plural(info.unreadable, 'unreadable line')} skipped</span>` : ''}</div>
<nav class="kinds">${present.map((g) => `<a href="#kind-${g.kind}">${g.name}</a>`).join('')}${waiting.length ? '<a href="#not-yet">Not measured yet</a>' : ''}</nav>
</header>
<main>
${info.controls ?? ''}
${overview ? `<section class="card" id="overview" data-section="overview"${overview.filled ? '' : ' data-empty'}>${exportLink(overview, info.csvLink)}${overview.html || '<div class="empty">No page views in this period yet.</div>'}</section>` : ''}
${body}
${waitingCard(waiting)}
<footer>Generated ${esc(info.generatedAt.toISOString().slice(0, 19).replace('T', ' '))} UTC from the published NDJSON files, with DuckDB.</footer>
</main>`
  // Each view its own title, so that tabs, history and a screen reader's first words tell them apart (WCAG 2.4.2).
  const view =
    info.view ??
    `${info.from.toISOString().slice(0, 10)} → ${new Date(info.to.getTime() - 1).toISOString().slice(0, 10)}`
  return htmlDocument(
    `${esc(info.title)} · ${esc(view)} · spoor report`,
    styles + (info.controls ? controlStyles : ''),
    page,
    info.refreshSeconds,
  )
}
