import { esc } from './html.js'
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

const card = (s: RenderedSection) =>
  `<section class="card span-${s.span}" id="${esc(s.id)}" data-section="${esc(s.id)}"${s.filled ? '' : ' data-empty'}>
<h2>${esc(s.title)}</h2><p class="sub">${esc(s.subtitle)}</p>
${s.html}
</section>`

/** The whole report as one HTML document: inline styles and SVG, no script, nothing fetched. */
export function renderPage(info: PageInfo, sections: RenderedSection[]): string {
  const overview = sections.find((s) => s.id === 'overview')
  const body = groups
    .map((group) => {
      const cards = sections.filter((s) => s.kind === group.kind && s.id !== 'overview')
      if (!cards.length) return ''
      return `<div class="group" id="kind-${group.kind}"><h2>${group.name}<span>${group.question}</span></h2><div class="grid">${cards.map(card).join('\n')}</div></div>`
    })
    .join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(info.title)} · spoor report</title>
<style>${styles}</style>
</head>
<body>
<header class="top">
<div class="brand">${mark} spoor</div>
<h1>${esc(info.title)}</h1>
<div class="range">${day(info.from)} → ${day(info.to)} UTC · ${info.events.toLocaleString('en-US')} events${info.unreadable ? ` · <span data-unreadable="${info.unreadable}">${info.unreadable.toLocaleString('en-US')} unreadable lines skipped</span>` : ''}</div>
<nav class="kinds">${groups.map((g) => `<a href="#kind-${g.kind}">${g.name}</a>`).join('')}</nav>
</header>
<main>
${overview ? `<section class="card" id="overview" data-section="overview"${overview.filled ? '' : ' data-empty'}>${overview.html}</section>` : ''}
${body}
<footer>Generated ${esc(info.generatedAt.toISOString().slice(0, 19).replace('T', ' '))} UTC from the published NDJSON files, with DuckDB.</footer>
</main>
</body>
</html>`
}
