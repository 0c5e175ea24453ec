import { fmtInt, linkedLabel, shownLabel } from '../html.js'

/** One row of a {@link barList}. */
export interface BarRow {
  label: string
  value: number
  /** Shown right of the bar instead of the value. */
  shown?: string
  /** A second, smaller line under the label. */
  note?: string
  /** `data-metric` name of the value, for tests and scripts. */
  metric?: string
  /** Where clicking the row leads (the view filtered by it); plain text without. */
  href?: string
}

/**
 * A ranked list with a bar behind each row, scaled to the largest value: the shape of top pages, sources and
 * answers (easier to read than a pie, and no script needed). Labels, notes and metric names come from the data:
 * each is cut to what a page shows (`label.ts`); a link keeps its whole value.
 *
 * @param tone - the bar colour: a CSS colour or var()
 */
export function barList(rows: BarRow[], tone = 'var(--accent)'): string {
  const max = Math.max(1, ...rows.map((r) => r.value))
  return `<ol class="bars">${rows
    .map(
      (r) => `<li>
  <span class="bar" style="width:${((r.value / max) * 100).toFixed(1)}%;background:${tone}"></span>
  <span class="label" title="${shownLabel(r.label)}">${linkedLabel(r.label, r.href)}${r.note ? `<small>${shownLabel(r.note)}</small>` : ''}</span>
  <span class="value"${r.metric ? ` data-metric="${shownLabel(r.metric)}" data-value="${r.value}"` : ''}>${r.shown ?? fmtInt(r.value)}</span>
</li>`,
    )
    .join('')}</ol>`
}
