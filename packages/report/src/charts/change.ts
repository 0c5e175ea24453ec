import { esc, fmtDec } from '../html.js'

/**
 * The % change of a figure against the previous period, marked `data-change` with its exact ratio: "—" when the
 * previous period had none (a change from nothing is no percentage). `lowerIsBetter` makes a drop the good news
 * (bounce rate). Whether a change is good is said in a word as well as by its colour: the arrow gives only the
 * direction, and a reader who does not see the green and red apart, or hears the page, is told too (WCAG 1.4.1).
 */
export function change(name: string, current: number, previous: number, lowerIsBetter = false): string {
  if (!previous) return `<span class="change" data-change="${esc(name)}" data-value="">— vs before</span>`
  const ratio = (current - previous) / previous
  const good = lowerIsBetter ? ratio < 0 : ratio > 0
  const tone = ratio === 0 ? '' : good ? ' up' : ' down'
  const verdict = ratio === 0 ? '' : good ? ', better' : ', worse'
  const arrow = ratio > 0 ? '↑' : ratio < 0 ? '↓' : ''
  return `<span class="change${tone}" data-change="${esc(name)}" data-value="${ratio}">${arrow}${fmtDec(Math.abs(ratio) * 100)}% vs before${verdict}</span>`
}
