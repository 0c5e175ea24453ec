import { metric } from '../html.js'

/** A headline figure: label, big number, a line of context under it, and its change against before when known. */
export function kpi(label: string, name: string, value: number | null, shown: string, note = '', change = ''): string {
  return `<div class="kpi"><div class="kpi-label">${label}</div><div class="kpi-value">${metric(name, value, shown)}</div>${change ? `<div class="kpi-change">${change}</div>` : ''}${note ? `<div class="kpi-note">${note}</div>` : ''}</div>`
}
