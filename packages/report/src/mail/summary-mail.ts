import type { Report } from '../build-report.js'
import { esc, fmtDuration, fmtInt, fmtMoney, fmtPct } from '../html.js'
import { plainLabel } from '../label.js'
import { type MailPeriod, rangePeriod } from './mail-period.js'

/** A mail ready to send: its subject, and its body as plain text and as HTML. */
export interface SummaryMail {
  subject: string
  text: string
  html: string
}

/** What a summary mail says beside the report's figures. */
export interface SummaryMailOptions {
  /** The site's name in the subject and heading (the report's title). */
  title: string
  period: MailPeriod
  /** The dashboard's address, linked at the end (nothing is linked without it). */
  dashboardUrl?: string
  /** In place of the subject naming the period's visitors (a traffic alert's). */
  subject?: string
}

type Cell = string | number | null
const top = 5

/** The headline figures a mail shows, as the overview's CSV names them, and how each is written and compared. */
const figures = [
  { metric: 'visitors', label: 'Visitors', kind: 'count' },
  { metric: 'sessions', label: 'Visits', kind: 'count' },
  { metric: 'pageviews', label: 'Page views', kind: 'count' },
  { metric: 'bounce-rate', label: 'Bounce rate', kind: 'share' },
  { metric: 'visit-duration-ms', label: 'Visit duration', kind: 'duration' },
  { metric: 'orders', label: 'Orders', kind: 'count' },
  { metric: 'revenue', label: 'Revenue', kind: 'money' },
  { metric: 'conversion', label: 'Conversion', kind: 'share' },
] as const

type Kind = (typeof figures)[number]['kind']

/** The rows of a section's CSV, or none when the section has none. */
const rowsOf = (report: Report, id: string): Cell[][] =>
  (report.sections.find((s) => s.id === id)?.csv?.rows ?? []) as Cell[][]

/** A headline figure of a built report (`visitors`, `sessions`…), as its overview's CSV gives it; 0 without one. */
export function headlineFigure(report: Report, metric: string): number {
  return Number(rowsOf(report, 'overview').find((row) => row[0] === metric)?.[1] ?? 0)
}

/**
 * `+12%`, `−3%`; rates by points (`+1.5 pts`), which say more of a rate than a rate's own change does; `new` from
 * nothing, and nothing where the period before had no visit to have a rate or a duration of.
 */
function change(kind: Kind, now: number, before: number, visitsBefore: number): string {
  if (visitsBefore === 0 && (kind === 'share' || kind === 'duration')) return ''
  if (kind === 'share') {
    const points = (now - before) * 100
    return Math.abs(points) < 0.05 ? '±0 pts' : `${points > 0 ? '+' : '−'}${Math.abs(points).toFixed(1)} pts`
  }
  if (before === 0) return now === 0 ? '±0%' : 'new'
  const percent = Math.round(((now - before) / before) * 100)
  return percent === 0 ? '±0%' : `${percent > 0 ? '+' : '−'}${Math.abs(percent)}%`
}

/**
 * The summary mail of a built report (built with `compareWith` the period before, so that each figure has its
 * change): the headline figures, the top pages, referrers and goals, each as the report's CSV export gives them,
 * so that the mail's figures and the dashboard's cannot disagree. Every value from events is escaped in the HTML.
 */
export function summaryMail(report: Report, options: SummaryMailOptions): SummaryMail {
  const overview = new Map(rowsOf(report, 'overview').map((row) => [String(row[0]), row]))
  const sold = rowsOf(report, 'orders').find((row) => row[0] === 'summary' && row[1] === 'revenue')?.[3]
  // A sender's currency that is no ISO code is left out rather than written as it came.
  const currency = typeof sold === 'string' && /^[A-Z]{3}$/.test(sold) ? sold : null
  // The overview writes a visit duration it has none of (every visit bounced) as 0: the dashboard shows a dash.
  const written = (kind: Kind, value: number) =>
    kind === 'count'
      ? fmtInt(value)
      : kind === 'share'
        ? fmtPct(value)
        : kind === 'duration'
          ? value > 0
            ? fmtDuration(value)
            : '—'
          : fmtMoney(value, currency)
  const visitsBefore = Number(overview.get('sessions')?.[2] ?? 0)
  const headline = figures.flatMap(({ metric, label, kind }) => {
    const row = overview.get(metric)
    if (!row) return []
    const value = Number(row[1])
    const before = row[2] === undefined ? undefined : Number(row[2])
    const changed =
      before === undefined || (kind === 'duration' && value === 0) ? '' : change(kind, value, before, visitsBefore)
    return [{ label, value: written(kind, value), change: changed }]
  })
  // A page, referrer or goal as the dashboard shows it (`plainLabel`): the export's whole value, cut and without
  // control characters.
  const pages = rowsOf(report, 'top-pages')
    .filter((row) => row[0] === 'top')
    .slice(0, top)
    .map((row) => [plainLabel(row[1]), fmtInt(Number(row[2]))])
  const referrers = rowsOf(report, 'sources')
    .filter((row) => row[0] === 'referrer')
    .slice(0, top)
    .map((row) => [plainLabel(row[1]), fmtInt(Number(row[4]))])
  const goals = rowsOf(report, 'goals')
    .filter((row) => row[1] === null)
    .slice(0, top)
    .map((row) => [plainLabel(row[0]), fmtInt(Number(row[3])), fmtPct(Number(row[5]))])
  const lists: [string, string[], string[][]][] = [
    ['Top pages', ['Page', 'Page views'], pages],
    ['Top referrers', ['Referrer', 'Visits'], referrers],
    ['Goals', ['Goal', 'Visitors', 'Conversion'], goals],
  ]
  const shown = lists.filter(([, , rows]) => rows.length > 0)
  const visitors = headline.find((h) => h.label === 'Visitors')
  // The period's name, and its days where the name does not give them.
  const { label } = options.period
  const days = rangePeriod(options.period).label
  const when = label === days ? `${days} (UTC)` : `${label}, ${days} (UTC)`
  const subject =
    options.subject ??
    `${options.title}: ${visitors?.value ?? '0'} visitors in ${label}${visitors?.change ? ` (${visitors.change})` : ''}`

  const text = [
    `${options.title}: ${when}`,
    '',
    ...headline.map((h) => `${h.label}: ${h.value}${h.change ? ` (${h.change} on the period before)` : ''}`),
    ...shown.flatMap(([title, header, rows]) => [
      '',
      `${title} (${header.slice(1).join(', ').toLowerCase()})`,
      ...rows.map((cells) => `  ${cells[0]}  ${cells.slice(1).join('  ')}`),
    ]),
    ...(options.dashboardUrl ? ['', `The dashboard: ${options.dashboardUrl}`] : []),
    '',
    'Sent by spoor report.',
  ].join('\n')

  const cell = 'padding:6px 10px;border-bottom:1px solid #e6e8f0;text-align:left'
  const number = 'padding:6px 10px;border-bottom:1px solid #e6e8f0;text-align:right'
  const table = (header: string[], rows: string[][]) =>
    `<table style="border-collapse:collapse;width:100%;font-size:14px"><tr>${header
      .map((h, i) => `<th style="${i ? number : cell};color:#4b5366;font-weight:600">${esc(h)}</th>`)
      .join('')}</tr>${rows
      .map((cells) => `<tr>${cells.map((c, i) => `<td style="${i ? number : cell}">${esc(c)}</td>`).join('')}</tr>`)
      .join('')}</table>`
  const html = `<!doctype html><html><body style="margin:0;padding:24px;background:#ffffff;color:#1d2333;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif">
<h1 style="font-size:20px;margin:0 0 4px">${esc(options.title)}</h1>
<p style="margin:0 0 20px;color:#4b5366">${esc(when)}</p>
${table(
  ['', 'This period', 'Change'],
  headline.map((h) => [h.label, h.value, h.change]),
)}
${shown.map(([title, header, rows]) => `<h2 style="font-size:16px;margin:24px 0 8px">${esc(title)}</h2>${table(header, rows)}`).join('\n')}
${options.dashboardUrl ? `<p style="margin:24px 0 0"><a href="${esc(options.dashboardUrl)}" style="color:#3d3dd6">Open the dashboard</a></p>` : ''}
<p style="margin:24px 0 0;color:#4b5366;font-size:12px">Sent by spoor report. The figures are the dashboard's for the same days.</p>
</body></html>`
  return { subject, text, html }
}
