import { esc, plural, shownLabel } from '../html.js'
import { worldShapes, worldSize } from './world-shapes.js'

/** A country on the map: its ISO code, visitors, and where a click leads (the view filtered to it). */
export interface MapCountry {
  code: string
  n: number
  /** `Germany (DE)`, the list's label, for the shape's tooltip. */
  label: string
  href?: string
}

/** Shades of the accent, lightest first: a country's shade is its share of the most visited one's visitors. */
const shades = 5

/**
 * A world map (no script: an inline SVG), each country shaded by its visitors, square-root scaled so that the
 * second country still shows beside a first with ten times its visitors; a country with visitors has its count as
 * a tooltip and, on the dashboard, links to the view filtered to it. Countries without a shape (a sender's own
 * value, an island too small for 1:110m) are in the list beside it only.
 *
 * @returns the SVG, or '' when no country of `rows` has a shape
 */
export function worldMap(rows: MapCountry[]): string {
  // Own keys only: a sender's country may be any text, `toString` too.
  const drawn = rows.filter((row) => row.n > 0 && Object.hasOwn(worldShapes, row.code))
  if (!drawn.length) return ''
  const max = Math.max(...drawn.map((row) => row.n))
  const byCode = new Map(drawn.map((row) => [row.code, row]))
  const paths = Object.entries(worldShapes).map(([code, d]) => {
    const row = byCode.get(code)
    if (!row) return `<path d="${d}"/>`
    // 1 to 5: n is at least 1 and at most max.
    const shade = Math.ceil(Math.sqrt(row.n / max) * shades)
    const shape = `<path class="s${shade}" d="${d}"><title>${shownLabel(row.label)}: ${plural(row.n, 'visitor')}</title></path>`
    return row.href ? `<a href="${esc(row.href)}" tabindex="-1">${shape}</a>` : shape
  })
  // A picture of the list below it, whose rows carry the same links: hidden from screen readers and out of the tab
  // order, rather than a stop for each of 170 countries before the list.
  return `<svg class="world" viewBox="0 0 ${worldSize.width} ${worldSize.height}" aria-hidden="true">${paths.join('')}</svg>`
}
