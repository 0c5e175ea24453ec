import { esc } from '../html.js'

/** Columns of the grid clicks are counted in: 14 px cells of the drawing's 560, finer than a blob's 34 px radius. */
export const clickColumns = 40

/** Rows of that grid for a page of this aspect (height / width), as the drawing clamps it: square cells. */
export const clickRows = (aspect: number) => Math.round(clickColumns * drawnAspect(aspect))

/** Clicked cells up to which each gets a dot as well as a blob. */
const sparseCells = 200

const drawnAspect = (aspect: number) => Math.min(1.6, Math.max(0.5, aspect))

/** What a {@link heatmap} draws. */
export interface HeatmapData {
  /**
   * Clicks counted per cell of a {@link clickColumns} × {@link clickRows} grid over the page, each cell placed by its
   * centre as fractions of the page's width and height: a page's drawing has at most that many marks, however many
   * clicks it had (one mark per click made a page of 37 MB at ten million events).
   */
  cells: { fx: number; fy: number; n: number }[]
  /** Mouse movement counts, row-major, `columns` × `rows` cells over the page (may be empty). */
  moves: number[]
  columns: number
  rows: number
  /** Page height / page width. */
  aspect: number
}

/**
 * A click heatmap as an SVG: each cell's clicks a soft blob, darker the more clicks (on a log scale against the
 * busiest cell, so that a single click still shows beside thousands), the blobs' summed density coloured blue →
 * green → yellow → red by an SVG filter (no script, no canvas), over a faint grid of mouse movement.
 *
 * @param id - unique within the page (several heatmaps may share one document)
 */
export function heatmap(data: HeatmapData, id: string): string {
  const width = 560
  const height = Math.round(width * drawnAspect(data.aspect))
  const radius = 34
  const maxMove = Math.max(1, ...data.moves)
  const cellW = width / Math.max(1, data.columns)
  const cellH = height / Math.max(1, data.rows)
  const moves = data.moves
    .map((n, i) =>
      n
        ? `<rect x="${((i % data.columns) * cellW).toFixed(1)}" y="${(Math.floor(i / data.columns) * cellH).toFixed(1)}" width="${cellW.toFixed(1)}" height="${cellH.toFixed(1)}" fill="#6366f1" fill-opacity="${((n / maxMove) * 0.22).toFixed(3)}"/>`
        : '',
    )
    .join('')
  const maxClicks = Math.max(1, ...data.cells.map((cell) => cell.n))
  const weight = (n: number) => (0.3 + (0.7 * Math.log1p(n)) / Math.log1p(maxClicks)).toFixed(3)
  const blobs = data.cells
    .map(
      (p) =>
        `<circle cx="${(p.fx * width).toFixed(1)}" cy="${(p.fy * height).toFixed(1)}" r="${radius}" fill="url(#${id}-blob)" fill-opacity="${weight(p.n)}"/>`,
    )
    .join('')
  // A dot marks each clicked cell while they are few, where the faint blobs of a quiet page need it; a busy page's
  // colours say it, and a dot for each of its thousands of cells would double the drawing's size.
  const dots = (data.cells.length <= sparseCells ? data.cells : [])
    .map(
      (p) => `<circle cx="${(p.fx * width).toFixed(1)}" cy="${(p.fy * height).toFixed(1)}" r="2.2" class="click-dot"/>`,
    )
    .join('')
  const wire = [0.06, 0.14, 0.3, 0.55, 0.8]
    .map(
      (f, i) =>
        `<rect x="${width * 0.08}" y="${(height * f).toFixed(1)}" width="${width * (i === 0 ? 0.84 : i % 2 ? 0.5 : 0.7)}" height="${i === 0 ? 14 : 8}" rx="4" class="wire"/>`,
    )
    .join('')
  return `<svg viewBox="0 0 ${width} ${height}" class="heatmap" role="img" aria-label="click heatmap">
<defs>
  <radialGradient id="${esc(id)}-blob"><stop offset="0" stop-color="#000" stop-opacity="0.55"/><stop offset="1" stop-color="#000" stop-opacity="0"/></radialGradient>
  <filter id="${esc(id)}-heat" color-interpolation-filters="sRGB">
    <feColorMatrix type="matrix" values="0 0 0 1 0  0 0 0 1 0  0 0 0 1 0  0 0 0 1 0"/>
    <feComponentTransfer>
      <feFuncR type="table" tableValues="0.23 0.13 0.52 0.98 0.94"/>
      <feFuncG type="table" tableValues="0.51 0.77 0.8 0.75 0.27"/>
      <feFuncB type="table" tableValues="0.96 0.64 0.09 0.14 0.27"/>
      <feFuncA type="table" tableValues="0 0.55 0.7 0.82 0.9"/>
    </feComponentTransfer>
  </filter>
</defs>
<rect width="${width}" height="${height}" rx="10" class="page"/>${wire}${moves}
<g filter="url(#${esc(id)}-heat)">${blobs}</g>${dots}
</svg>`
}
