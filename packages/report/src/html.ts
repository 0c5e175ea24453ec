import { plainLabel } from './label.js'

/**
 * Escapes text for HTML content and attribute values, losing nothing: a form's hidden field carries a filter's value
 * back as it was (a tab in a property's value included). What a page shows of the data goes through
 * {@link shownLabel}.
 */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

/**
 * A label from the data as a page shows it: cut (see `label.ts`), without control characters (a tab or line break a
 * space, any other U+FFFD), escaped: its text, tooltip or metric name.
 */
export const shownLabel = (value: unknown): string => esc(plainLabel(value))

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })

/** 1,234 */
export const fmtInt = (n: number) => integer.format(n)
/** 12.5 */
export const fmtDec = (n: number) => decimal.format(n)
/** 42% (of a 0–1 share) */
export const fmtPct = (share: number) => `${decimal.format(share * 100)}%`

/** €1,234.50 — the currency's own sign where it has one. */
export function fmtMoney(n: number, currency: string | null | undefined): string {
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: currency || 'EUR',
      maximumFractionDigits: 2,
    }).format(n)
  } catch {
    return `${decimal.format(n)} ${shownLabel(currency)}`
  }
}

/** 1 min 5 s, 12 s, 850 ms */
export function fmtDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`
}

/**
 * A table in a box of its own that scrolls sideways when the table is wider than the screen, so that the page itself
 * never does (WCAG 1.4.10, Reflow: a data table may need two dimensions, the page around it may not). The box is a
 * named region a keyboard can focus, for the arrow keys to scroll it.
 */
export const scrollingTable = (name: string, table: string): string =>
  `<div class="table-scroll" role="region" aria-label="${esc(name)}" tabindex="0">${table}</div>`

/** A label from the data as a row's link when it has one (the view filtered by it), else as text. */
export const linkedLabel = (text: string, href: string | undefined): string =>
  href ? `<a class="row-link" href="${esc(href)}">${shownLabel(text)}</a>` : shownLabel(text)

/**
 * A number as the page shows it, marked with its exact value (`data-metric`, `data-value`) so that tests and
 * scripts read the report's figures without parsing formatted text. A name holding a label is cut as the label is.
 */
export function metric(name: string, value: number | null | undefined, shown: string): string {
  return `<span data-metric="${shownLabel(name)}" data-value="${value ?? ''}">${shown}</span>`
}

/** `1 review`, `2 reviews`: a count with its noun. */
export const plural = (n: number, noun: string) => `${fmtInt(n)} ${noun}${n === 1 ? '' : 's'}`

/** Share of `part` in `whole`, 0 when the whole is 0. */
export const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0)

/**
 * A whole page as every report page is one: nothing sent as referrer, its styles inline, `body` inside. `title` is
 * HTML already (escape what the data gave it). `refreshSeconds` reloads it that often, with no script.
 */
export const htmlDocument = (title: string, styles: string, body: string, refreshSeconds?: number) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">${
  refreshSeconds
    ? `
<meta http-equiv="refresh" content="${Math.round(refreshSeconds)}">`
    : ''
}
<title>${title}</title>
<style>${styles}</style>
</head>
<body>
${body}
</body>
</html>`
