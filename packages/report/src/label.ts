/** The most characters of a label from the data (a path, a referrer, an event's or a campaign's name…) a page shows. */
export const labelChars = 300

/**
 * A label as a page shows it: its first {@link labelChars} characters, and `…` when it had more. A sender chooses
 * these values, and a page lists each in several places (its text, its tooltip, its metric's name): a 4 MB path made
 * the dashboard 58.7 MB. The exports (CSV, JSON) keep the whole value, and so does a row's filter link while the
 * value fits a link (`row-filter-link.ts`).
 */
function cutLabel(text: string, chars: number): string {
  if (text.length <= chars) return text
  // Never half a surrogate pair: it would be a broken character.
  const high = text.charCodeAt(chars - 1)
  return `${text.slice(0, high >= 0xd800 && high <= 0xdbff ? chars - 1 : chars)}…`
}

const controls = /\p{Cc}/gu
const shownControl = (control: string) => (control === '\t' || control === '\n' || control === '\r' ? ' ' : '\uFFFD')

/**
 * Text from the data without control characters: a tab or line break is a space, as a page shows it anyway; any
 * other (NUL, ESC, the C1 range) is U+FFFD, which an HTML parser makes of a NUL itself, where the others would be
 * invisible, or act on a terminal that shows the text of a mail.
 */
const withoutControls = (text: string): string => text.replace(controls, shownControl)

/**
 * A label from the data as every page, mail and chart shows it: cut to `chars`, without control characters. Escape it
 * for HTML where it goes into a page (`shownLabel` in `html.ts`).
 */
export const plainLabel = (value: unknown, chars = labelChars): string =>
  withoutControls(cutLabel(String(value ?? ''), chars))
