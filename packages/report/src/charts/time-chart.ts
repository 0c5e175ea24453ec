import { esc, fmtInt } from '../html.js'
import { niceTicks } from './nice-ticks.js'

/** One bucket of a {@link timeChart}. */
export interface TimePoint {
  t: Date
  bars: number
  line: number
  /** The line's value in the period compared with, at the same position: drawn dashed. */
  previous?: number
}

/** How a bucket start is labelled on the axis, from the bucket's length. */
export function tickLabel(t: Date, bucketMs: number): string {
  const iso = t.toISOString()
  // A month's buckets are calendar months, given as 30 days.
  if (bucketMs >= 28 * 86_400_000) return iso.slice(0, 7)
  if (bucketMs >= 86_400_000) return iso.slice(5, 10)
  if (bucketMs >= 3_600_000) return `${iso.slice(5, 10)} ${iso.slice(11, 13)}h`
  if (bucketMs >= 60_000) return iso.slice(11, 16)
  return iso.slice(11, 19)
}

/**
 * Bars (page views) with a line over them (visitors) against time, as an inline SVG that scales with its card.
 *
 * @param labels - the two series' names, for the legend
 */
export function timeChart(points: TimePoint[], bucketMs: number, labels: [string, string]): string {
  const width = 1040
  const height = 240
  const left = 36
  const bottom = 24
  const top = 12
  const plotW = width - left - 8
  const plotH = height - bottom - top
  const compared = points.some((p) => p.previous !== undefined)
  const ticks = niceTicks(Math.max(0, ...points.map((p) => Math.max(p.bars, p.line, p.previous ?? 0))))
  const max = ticks.top
  const step = plotW / Math.max(1, points.length)
  const y = (v: number) => top + plotH - (v / max) * plotH
  const grid = ticks.values
    .map(
      (v) =>
        `<line x1="${left}" x2="${width - 8}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="${left - 6}" y="${y(v) + 4}" class="axis" text-anchor="end" data-tick="${v}">${fmtInt(v)}</text>`,
    )
    .join('')
  const bars = points
    .map((p, i) => {
      const h = (p.bars / max) * plotH
      return `<rect x="${(left + i * step + step * 0.15).toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${h.toFixed(1)}" rx="3" class="bar-a"><title>${esc(tickLabel(p.t, bucketMs))}: ${p.bars} ${esc(labels[0])}</title></rect>`
    })
    .join('')
  const line = points.map((p, i) => `${(left + i * step + step / 2).toFixed(1)},${y(p.line).toFixed(1)}`).join(' ')
  const before = compared
    ? `<polyline points="${points.map((p, i) => `${(left + i * step + step / 2).toFixed(1)},${y(p.previous ?? 0).toFixed(1)}`).join(' ')}" class="line-compared"/>`
    : ''
  const dots = points
    .map(
      (p, i) =>
        `<circle cx="${(left + i * step + step / 2).toFixed(1)}" cy="${y(p.line).toFixed(1)}" r="3.5" class="dot-b"/>`,
    )
    .join('')
  const every = Math.max(1, Math.ceil(points.length / 8))
  const timeLabels = points
    .map((p, i) =>
      i % every === 0
        ? `<text x="${(left + i * step + step / 2).toFixed(1)}" y="${height - 6}" class="axis" text-anchor="middle">${esc(tickLabel(p.t, bucketMs))}</text>`
        : '',
    )
    .join('')
  // The picture's numbers as a table for a screen reader (WCAG 1.1.1): inside `role="img"` the bars' tooltips are
  // not read, and the line's values are in no text at all. Hidden from sight, where the chart shows them, in a box
  // that hides it: a table takes the width of its content whatever its own width says.
  const head = [...labels, ...(compared ? [`${labels[1]}, compared period`] : [])]
  const table = `<div class="visually-hidden"><table><caption>${esc(labels[0])} and ${esc(labels[1])} by interval, UTC</caption><thead><tr><th scope="col">interval from</th>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${points
    .map(
      (p) =>
        `<tr><th scope="row">${esc(tickLabel(p.t, bucketMs))}</th><td>${fmtInt(p.bars)}</td><td>${fmtInt(p.line)}</td>${compared ? `<td>${fmtInt(p.previous ?? 0)}</td>` : ''}</tr>`,
    )
    .join('')}</tbody></table></div>`
  return `<svg viewBox="0 0 ${width} ${height}" class="chart" role="img" aria-label="${esc(labels[0])} and ${esc(labels[1])} over time">
${grid}${bars}${before}<polyline points="${line}" class="line-b"/>${dots}${timeLabels}</svg>${table}
<div class="legend"><span class="swatch a"></span>${esc(labels[0])}<span class="swatch b"></span>${esc(labels[1])}${compared ? `<span class="swatch compared"></span>${esc(labels[1])}, compared period` : ''}</div>`
}
