import { limits } from '@spoor/protocol'
import { barList } from '../charts/bar-list.js'
import { clickColumns, clickRows, heatmap as drawHeatmap, type HeatmapData } from '../charts/heatmap.js'
import { hints } from '../hints.js'
import { fmtInt, shownLabel } from '../html.js'
import { defineSection, type ReportContext } from '../section.js'
import { linePath } from '../sql/visits.js'

interface PageHeat extends HeatmapData {
  path: string
  clicks: number
  elements: { label: string; selector: string | null; clicks: number }[]
}

// Clicks from `Element Clicked` (one per click) and from `Heatmap` reports (click points of a page view). With both
// plugins on (the full build with heatmaps), each click is in both: a Heatmap's points count only for a session
// whose clicks on that page were not recorded one by one (the clicks plugin switched off, or another tag).
// An Element Clicked line also names what was clicked (its label and selector, for the most clicked elements); these
// and its point are extracted columns (`loaders/extracted-columns.ts`): parsed from each click's properties at
// query time, they took 1.6–2.6 s a view at ten million events.
const clicksSql = `
  SELECT ctx_page_path AS path, try_cast(prop_x AS DOUBLE) / nullif(try_cast(prop_page_width AS DOUBLE), 0) AS fx,
         try_cast(prop_y AS DOUBLE) / nullif(try_cast(prop_page_height AS DOUBLE), 0) AS fy,
         try_cast(prop_page_height AS DOUBLE) / nullif(try_cast(prop_page_width AS DOUBLE), 0) AS aspect,
         coalesce(nullif(prop_text, ''), prop_selector, prop_tag, '?') AS label, prop_selector AS selector
  FROM events WHERE event = 'Element Clicked'
  UNION ALL
  SELECT h.path, try_cast(h.c[1] AS DOUBLE) / nullif(h.w, 0), try_cast(h.c[2] AS DOUBLE) / nullif(h.ph, 0), h.ph / nullif(h.w, 0),
         NULL, NULL
  FROM (SELECT session_id, ${linePath} AS path, try_cast(prop_page_width AS DOUBLE) AS w,
               try_cast(prop_page_height AS DOUBLE) AS ph, unnest(from_json(properties->'$.clicks', '[["DOUBLE"]]')) AS c
        FROM events WHERE event = 'Heatmap') h
  WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event = 'Element Clicked' AND e.session_id = h.session_id
                      AND e.ctx_page_path = h.path)`

/** `path IN (…)` of the chosen pages, with their paths as bound parameters (`$path0`, …): a path is data. */
function pathsIn(paths: string[]): { pathIn: string; bound: Record<string, string> } {
  const bound = Object.fromEntries(paths.map((path, i) => [`path${i}`, path]))
  return {
    pathIn: `path IN (${Object.keys(bound)
      .map((name) => `$${name}`)
      .join(', ')})`,
    bound,
  }
}

/** Rows of `sql` per page (its column `path`), in the order of `paths`. */
async function perPage<T extends { path: string }>(
  context: ReportContext,
  paths: string[],
  sql: (pathIn: string) => string,
  params: Record<string, number | string> = {},
): Promise<Map<string, T[]>> {
  const { pathIn, bound } = pathsIn(paths)
  const rows = await context.db.all<T>(sql(pathIn), { ...bound, ...params })
  const byPath = new Map(paths.map((path) => [path, [] as T[]]))
  for (const row of rows) byPath.get(row.path)?.push(row)
  return byPath
}

/**
 * Each chosen page's cells, shape, mouse moves and elements: one query of each for all the pages (each read the
 * table, or the month's lines, once per page).
 */
async function loadPages(context: ReportContext, paths: string[]): Promise<PageHeat[]> {
  const { db } = context
  const shapes = await perPage<{ path: string; aspect: number | null }>(
    context,
    paths,
    (pathIn) => `SELECT path, median(aspect) AS aspect FROM heat_clicks WHERE ${pathIn} GROUP BY path`,
  )
  const aspects = paths.map((path) => shapes.get(path)?.[0]?.aspect ?? 1)
  // Counted per cell, not listed: a page's clicks grow with its traffic, its drawing must not. Each page's grid has
  // the rows of its shape.
  const rows = Object.fromEntries(aspects.map((aspect, i) => [`rows${i}`, clickRows(aspect)]))
  const rowsOf = `CASE ${paths.map((_, i) => `WHEN path = $path${i} THEN $rows${i}`).join(' ')} END`
  const cells = await perPage<{ path: string; fx: number; fy: number; n: number }>(
    context,
    paths,
    (pathIn) => `SELECT path, (cx + 0.5) / $columns AS fx, (cy + 0.5) / r AS fy, count(*) AS n FROM (
       SELECT path, r, least($columns - 1, floor(fx * $columns))::INTEGER AS cx, least(r - 1, floor(fy * r))::INTEGER AS cy
       FROM (SELECT *, ${rowsOf} AS r FROM heat_clicks WHERE ${pathIn} AND fx BETWEEN 0 AND 1 AND fy BETWEEN 0 AND 1))
     GROUP BY path, r, cx, cy ORDER BY path, cy, cx`,
    { columns: clickColumns, ...rows },
  )
  const grids = await perPage<{ path: string; columns: number | null; rows: number | null }>(
    context,
    paths,
    (pathIn) => `SELECT path, try_cast(mode(jnum(properties, '$.grid_columns')) AS INTEGER) AS columns,
            try_cast(mode(jnum(properties, '$.grid_rows')) AS INTEGER) AS rows
     FROM (SELECT ${linePath} AS path, properties FROM events WHERE event = 'Heatmap')
     WHERE ${pathIn} AND jnum(properties, '$.grid_columns') * jnum(properties, '$.grid_rows') BETWEEN 1 AND $cells
     GROUP BY path`,
    { cells: limits.heatmapCells },
  )
  const elements = await perPage<{ path: string; label: string; selector: string | null; clicks: number }>(
    context,
    paths,
    (pathIn) => `SELECT path, label, any_value(selector) AS selector, count(*) AS clicks
     FROM heat_clicks WHERE ${pathIn} AND label IS NOT NULL GROUP BY path, label
     QUALIFY row_number() OVER (PARTITION BY path ORDER BY clicks DESC, label) <= 5
     ORDER BY path, clicks DESC, label`,
  )
  const pages: PageHeat[] = []
  for (const [i, path] of paths.entries()) {
    const grid = grids.get(path)?.[0]
    let moves: number[] = []
    // Files written before the grid was capped at intake may claim any size: only a grid within the cap is drawn.
    if (
      grid?.columns &&
      grid.rows &&
      grid.columns > 0 &&
      grid.rows > 0 &&
      grid.columns * grid.rows <= limits.heatmapCells
    ) {
      const moved = await db.all<{ i: number; n: number }>(
        `SELECT i, sum(n) AS n FROM (
           SELECT unnest(generate_series(1, len(m))) AS i, unnest(m) AS n FROM (
             SELECT from_json(properties->'$.moves', '["DOUBLE"]') AS m FROM events
             WHERE event = 'Heatmap' AND ${linePath} = $path
               AND jnum(properties, '$.grid_columns') = $columns AND jnum(properties, '$.grid_rows') = $rows))
         GROUP BY i`,
        { path, columns: grid.columns, rows: grid.rows },
      )
      moves = new Array(grid.columns * grid.rows).fill(0)
      for (const cell of moved) if (cell.i <= moves.length) moves[cell.i - 1] = cell.n
    }
    const pageCells = (cells.get(path) ?? []).map(({ fx, fy, n }) => ({ fx, fy, n }))
    pages.push({
      path,
      clicks: pageCells.reduce((sum, cell) => sum + cell.n, 0),
      cells: pageCells,
      moves,
      columns: grid?.columns ?? 0,
      rows: grid?.rows ?? 0,
      aspect: aspects[i] ?? 1,
      elements: (elements.get(path) ?? []).map(({ label, selector, clicks }) => ({ label, selector, clicks })),
    })
  }
  return pages
}

/** The id of a page's panel, which its tab links to: a 32-bit FNV-1a hash of its path, in hex. */
export function panelId(path: string): string {
  let hash = 0x811c9dc5
  for (const char of path) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193) >>> 0
  return `heatmap-page-${hash.toString(16).padStart(8, '0')}`
}

/**
 * Click heatmaps of the most clicked pages (the chosen one first), with the elements clicked most, switched by tabs
 * that need no script: each tab is a link to its page's panel (`#heatmap-page-…`), which CSS shows as the page's
 * target, the first panel while none is. The page switched to is thus in the address: a reload, a bookmark or a
 * shared link shows it again (radio buttons switched as quickly, but a reload showed the first page). A panel's id
 * is named by a hash of its path, not its place, so the link holds while the pages' order changes with new clicks.
 */
export const heatmap = defineSection({
  id: 'heatmap',
  kind: 'behavioral',
  title: 'Click heatmap',
  subtitle: 'Where people click on a page, placed by their share of its width and height',
  hint: hints.clicks,
  span: 2,
  async load(context) {
    const { db } = context
    // The most clicked pages first, counted over the clicks' paths and points alone: the table below then holds only
    // their clicks, with their labels (at ten million events, a fifth of the month's 1.4 million clicks: building it
    // for all of them took 0.65-1.1 s, the count and the chosen pages' table together 0.4 s).
    const pages = await db.all<{ path: string; clicks: number }>(
      `SELECT path, count(*) AS clicks FROM (${clicksSql}) WHERE path IS NOT NULL AND fx IS NOT NULL
       GROUP BY path ORDER BY clicks DESC, path LIMIT 4`,
    )
    const chosen = context.heatmapPath
    const paths = chosen
      ? [chosen, ...pages.map((p) => p.path).filter((p) => p !== chosen)].slice(0, 4)
      : pages.map((p) => p.path)
    if (paths.length === 0) return []
    const { pathIn, bound } = pathsIn(paths)
    // Each click's place and element, worked out once: the pages' queries then read this table. Read by each of them
    // (each page's cells, shape and elements), the properties of every click were parsed up to thirteen times: at ten
    // million events, most of 12 s of SQL.
    await db.run(`CREATE OR REPLACE TABLE heat_clicks AS SELECT * FROM (${clicksSql}) WHERE ${pathIn}`, bound)
    try {
      return await loadPages(context, paths)
    } finally {
      await db.run('DROP TABLE IF EXISTS heat_clicks')
    }
  },
  filled: (pages) => pages.some((p) => p.clicks > 0),
  render: (pages) => `<div class="tabs">
<nav class="tab-labels" aria-label="Heatmap pages">${pages.map((p, i) => `<a class="tab-link-${i}" href="#${panelId(p.path)}">${shownLabel(p.path)} <small>${fmtInt(p.clicks)}</small></a>`).join('')}</nav>
${pages
  .map(
    (
      p,
      i,
    ) => `<div class="tab-panel heatmap-panel panel-${i}" id="${panelId(p.path)}" data-heatmap-path="${shownLabel(p.path)}">
<div class="heatmap-frame">${drawHeatmap(p, `heat-${i}`)}</div>
<div><h3>Most clicked</h3>${barList(
      p.elements.map((e) => ({ label: e.label, note: e.selector ?? undefined, value: e.clicks })),
      'var(--rose)',
    )}
<p class="note"><span data-metric="${shownLabel(`heatmap-clicks:${p.path}`)}" data-value="${p.clicks}">${fmtInt(p.clicks)}</span> ${p.clicks === 1 ? 'click' : 'clicks'} on ${shownLabel(p.path)}.${p.moves.some((n) => n > 0) ? ' The shaded grid is where the mouse moved.' : ''}</p></div>
</div>`,
  )
  .join('')}</div>`,
})
