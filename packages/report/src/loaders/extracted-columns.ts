import { schemaFields } from '@spoor/protocol'
import { sqlList } from '../compaction/sql.js'
import { pageViewKey } from '../sql/page-view-key.js'

/**
 * The JSON fields the report's panels read from (almost) every row, or from every row of the most frequent events,
 * kept as plain VARCHAR columns beside the line's own: extracted once, when a day is compacted into Parquet (and as
 * NDJSON not compacted yet is loaded), instead of once per panel per row. Each column is exactly `object->>'path'`:
 * a string as is, a number or boolean as its JSON text, NULL when absent. Fields read only from a few events (an
 * order's products, a vital's value) stay in the JSON.
 */
const extracted = {
  context: {
    ctx_page_path: '$.page.path',
    ctx_page_url: '$.page.url',
    ctx_page_referrer: '$.page.referrer',
    ctx_page_search: '$.page.search',
    ctx_screen_width: '$.screen.width',
    ctx_mobile: '$.userAgentData.mobile',
    ctx_country: '$.location.country',
    ctx_region: '$.location.region',
    ctx_city: '$.location.city',
    ctx_browser: '$.browser.name',
    ctx_browser_version: '$.browser.version',
    ctx_os: '$.os.name',
    ctx_os_version: '$.os.version',
    ctx_device_type: '$.device.type',
    ctx_campaign_source: '$.campaign.source',
    ctx_campaign_name: '$.campaign.name',
    ctx_campaign_medium: '$.campaign.medium',
    ctx_campaign_spoor_c: '$.campaign.spoor_c',
    // The whole campaign object, as JSON text, and the bot flag: what the batch cart run keeps of a line's context.
    ctx_campaign: '$.campaign',
    ctx_bot: '$.bot',
    ctx_traits_email: '$.traits.email',
    ctx_session_id: '$.session.id',
    ctx_library_name: '$.library.name',
  },
  properties: {
    prop_path: '$.path',
    prop_url: '$.url',
    prop_referrer: '$.referrer',
    prop_href: '$.href',
    prop_currency: '$.currency',
    prop_page_view_id: '$.page_view_id',
    prop_email: '$.email',
    // What the engagement panel reads of Page Engaged, the most frequent event with page views.
    prop_engaged_ms: '$.engaged_ms',
    prop_max_scroll_percent: '$.max_scroll_percent',
    // What the click heatmap reads of Element Clicked, one line per click: the point, the page's size, the element.
    prop_x: '$.x',
    prop_y: '$.y',
    prop_page_width: '$.page_width',
    prop_page_height: '$.page_height',
    prop_text: '$.text',
    prop_selector: '$.selector',
    prop_tag: '$.tag',
  },
  traits: {
    traits_email: '$.email',
  },
} as const

/**
 * The version of the columns compaction writes for each line, kept in each compacted day's manifest: this list;
 * since version 2 each line's `visitor` and `session_id` (see `sql/sessions.ts`); since version 3 a line's
 * `context` only on the rows the email section reads whole (see `compact-days.ts`); since version 4 its
 * `visitor_key` (see `sql/sessions.ts`); since version 5 its `view_key` (see `sql/page-view-key.ts`); since version
 * 6 a click's point, page size and element (`prop_x` … `prop_tag`); since version 7 the browser's and the operating
 * system's versions; since version 8 the region and city. A day compacted with another version is read from its NDJSON files until `spoor compact` writes
 * it again.
 */
export const extractedColumnsVersion = 8

/** The names of the extracted columns, and last the page view's key computed from them. */
export const extractedColumnNames = [...Object.values(extracted).flatMap((paths) => Object.keys(paths)), 'view_key']

/** The line's own columns, as the protocol's schema names them: what a reader of the lines (not of panels) selects. */
export const lineColumns = () => schemaFields().map((field) => field.name)

/**
 * A query over `rows` (any query with the line's columns) that adds the extracted columns, and the page view's key
 * (`view_key`, see `sql/page-view-key.ts`). Each object is parsed once for all of its paths: DuckDB's list form of
 * `json_extract_string`.
 *
 * @example
 * db.run(`COPY (${withExtractedColumns('SELECT * FROM day_lines')}) TO 'day.parquet' (FORMAT parquet)`)
 */
export function withExtractedColumns(rows: string): string {
  const objects = Object.entries(extracted)
  const lists = objects.map(([object, paths]) => {
    const list = sqlList(Object.values(paths))
    return `json_extract_string(${object}, [${list}]) AS __${object}`
  })
  const columns = objects.flatMap(([object, paths]) =>
    Object.keys(paths).map((column, index) => `__${object}[${index + 1}] AS ${column}`),
  )
  return `SELECT *, ${pageViewKey} AS view_key FROM (
    SELECT * EXCLUDE (${objects.map(([object]) => `__${object}`).join(', ')}), ${columns.join(', ')}
    FROM (SELECT *, ${lists.join(', ')} FROM (${rows})))`
}
