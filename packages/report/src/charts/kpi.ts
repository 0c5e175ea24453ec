import { metric } from '../html.js'

/** A headline figure: label, big number, and a line of context under it. */
export function kpi(label: string, name: string, value: number | null, shown: string, note = ''): string {
  return `<div class="kpi"><div class="kpi-label">${label}</div><div class="kpi-value">${metric(name, value, shown)}</div>${note ? `<div class="kpi-note">${note}</div>` : ''}</div>`
}
