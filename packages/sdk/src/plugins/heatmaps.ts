import type { Plugin } from '../core/plugin.js'
import { listen } from './listen.js'

/**
 * Mouse-movement heatmaps, off unless added: pointer positions sampled every `sample` ms and click points are kept
 * in memory, and when the page is hidden, left or changes path they leave as one `Heatmap` event: the counts of a
 * coarse grid over the page (`grid_columns` across, square cells, row-major), plus the click points — never a
 * stream of raw moves.
 *
 * @param columns grid columns across the page (default 20)
 * @param sample ms between two kept pointer positions (default 100)
 * @example
 * createTracker({ writeKey, endpoint, plugins: [pageviews(), heatmaps()] })
 */
export const heatmaps = (columns = 20, sample = 100): Plugin => {
  let send = () => {}
  return {
    name: 'heatmaps',
    setup(tracker) {
      // Read here, not as the plugin is made: an app's module makes its plugins on the server too.
      let path = location.pathname
      const root = document.documentElement
      let moves: number[][] = []
      let clicks: number[][] = []
      let last = 0
      send = () => {
        const width = root.scrollWidth
        const height = root.scrollHeight
        const cell = width / columns
        const rows = Math.ceil(height / cell)
        const grid: number[] = Array(rows * columns).fill(0)
        for (const [x, y] of moves) {
          const index = Math.floor(y! / cell) * columns + Math.min(columns - 1, Math.floor(x! / cell))
          if (index < grid.length) grid[index]!++
        }
        if (moves.length || clicks.length) {
          tracker.track('Heatmap', {
            path,
            page_width: width,
            page_height: height,
            grid_columns: columns,
            grid_rows: rows,
            moves: grid,
            clicks,
          })
        }
        moves = []
        clicks = []
        path = location.pathname
      }
      for (const type of ['mousemove', 'click']) {
        listen<MouseEvent>(
          tracker,
          document,
          type,
          (event) => {
            const point = [Math.round(event.pageX), Math.round(event.pageY)]
            if (type == 'click') clicks.length < 500 && clicks.push(point)
            else if (event.timeStamp - last >= sample && moves.length < 1e4) {
              last = event.timeStamp
              moves.push(point)
            }
          },
          true,
        )
      }
      // Browsers fire visibilitychange when a page is left too (all those the snippet supports), as in web-vitals.
      listen(tracker, document, 'visibilitychange', () => document.hidden && send())
    },
    enrich(event) {
      // The map belongs to the path it was drawn on: a single-page navigation sends it before the next view.
      if (event.type == 'page') send()
      return event
    },
  }
}
