import { barList } from '../charts/bar-list.js'
import { worldMap } from '../charts/world-map.js'
import { hints } from '../hints.js'
import { rowFilterLink } from '../row-filter-link.js'
import { defineSection } from '../section.js'
import { type DeviceDimension, deviceLabels, notSet, versionLabels } from '../sql/device-labels.js'

interface Row {
  label: string
  n: number
  /** The value behind the label, where they differ (a country's code). */
  key?: string
}

interface Devices {
  countries: Row[]
  regions: Row[]
  cities: Row[]
  browsers: Row[]
  os: Row[]
  types: Row[]
  screens: Row[]
  /** The lists that show versions (`Chrome 120`), the view being filtered to their browser or system. */
  versions: ('browsers' | 'os')[]
}

const top = 10
// Every country for the map (the list shows the first ten): ISO codes are fewer, and a sender's own values, which
// need not be codes, are bounded here.
const mostCountries = 300

// The lists, in the order their grouping sets are named below, each with the dimension (and filter) it lists.
const lists = ['countries', 'regions', 'cities', 'browsers', 'os', 'types', 'screens'] as const
type List = (typeof lists)[number]
/** The lists but regions and cities: what a collector without the city set gives. */
const withoutPlaces: readonly List[] = lists.filter((list) => list !== 'regions' && list !== 'cities')
/** Each list's dimension (and filter), heading and bar colour. */
const listOf: Record<List, { dimension: DeviceDimension; title: string; tone: string }> = {
  countries: { dimension: 'country', title: 'Countries', tone: 'var(--accent)' },
  regions: { dimension: 'region', title: 'Regions', tone: 'var(--accent)' },
  cities: { dimension: 'city', title: 'Cities', tone: 'var(--accent)' },
  browsers: { dimension: 'browser', title: 'Browsers', tone: 'var(--teal)' },
  os: { dimension: 'os', title: 'Operating systems', tone: 'var(--slate)' },
  types: { dimension: 'device', title: 'Device types', tone: 'var(--teal)' },
  screens: { dimension: 'screen', title: 'Screen sizes', tone: 'var(--slate)' },
}

const known = (row: Row) => row.label !== notSet

/**
 * The lists a reader is shown: regions and cities only where some page view has one (the collector had the city set;
 * DB-IP's, whose licence asks a page showing them for a link), not as lists of "(not set)" alone.
 */
const shownLists = (d: Devices): readonly List[] =>
  d.regions.some(known) || d.cities.some(known) ? lists : withoutPlaces

/** The page DB-IP's licence asks a page showing its regions and cities to link to. */
const dbIp = 'https://db-ip.com'

const countryNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' })

/** `Germany (DE)`: the collector writes ISO 3166-1 alpha-2 codes; a sender's own value is shown as sent. */
function countryLabel(code: string): string {
  if (code === notSet || !/^[A-Z]{2}$/.test(code)) return code
  const name = countryNames.of(code)
  return name && name !== code ? `${name} (${code})` : code
}

/** `grouping(…)` of the rows of list `name`: a bit per list, set for each list the row is not grouped by. */
function maskOf(counted: readonly List[], name: List): number {
  const bit = 2 ** (counted.length - 1 - counted.indexOf(name))
  return 2 ** counted.length - 1 - bit
}

/**
 * Distinct visitors of page views per value of each of `counted` lists' label, most first, the top ones of each: the
 * lists in one pass over the page views (grouping sets), rather than one query each reading them all again.
 * `grouping(…)` names a row's list: a bit per list, set for each list the row is not grouped by. A visitor's page
 * views nearly all carry the same five labels, so they are folded to one row per visitor and labels first: the
 * distinct counts are the same, over fewer rows (the benchmark's 2.8 million page views of 10 million events fold to
 * 0.78 million: 1.57 s -> 1.13 s). A visitor with one such row counts once under each of its labels, so only the
 * visitors with several rows (a phone and a laptop, say) need a distinct count: 0.58–0.87 s -> 0.52–0.71 s.
 */
const byVisitors = (labels: Record<DeviceDimension, string>, counted: readonly List[]) => `
  WITH folded AS (
    SELECT *, count(*) OVER (PARTITION BY visitor_key) AS tuples
    FROM (SELECT DISTINCT visitor_key, ${counted.map((list) => `${labels[listOf[list].dimension]} AS ${list}`).join(', ')} FROM pages)
  )
  SELECT grouping(${counted.join(', ')}) AS g, coalesce(${counted.join(', ')}) AS label,
         count(*) FILTER (tuples = 1) + count(DISTINCT visitor_key) FILTER (tuples > 1) AS n
  FROM folded
  GROUP BY GROUPING SETS (${counted.map((list) => `(${list})`).join(', ')})
  QUALIFY row_number() OVER (PARTITION BY g ORDER BY n DESC, label)
    <= CASE WHEN g = ${maskOf(counted, 'countries')} THEN ${mostCountries} ELSE ${top} END
  ORDER BY g, n DESC, label`

/**
 * Where visitors are and what they browse with: countries (and regions and cities where the collector has the city
 * set), browsers, operating systems, device types, screens.
 */
export const devices = defineSection({
  id: 'devices',
  kind: 'interaction',
  title: 'Countries and devices',
  subtitle:
    'Visitors by country (and region and city, where known), browser, operating system, device type and screen size (page views)',
  hint: hints.tag,
  span: 2,
  async load({ db, filters }): Promise<Devices> {
    // Filtered to a browser or an operating system, its list shows their versions.
    const labels = {
      ...deviceLabels,
      ...(filters?.browser ? { browser: versionLabels.browser } : {}),
      ...(filters?.os ? { os: versionLabels.os } : {}),
    }
    // Regions and cities are counted only where a page view has one: two more lists cost the query a third more
    // (0.47-0.50 s -> 0.62-0.67 s over the benchmark's month), and most collectors have no city set.
    const places = await db.all(
      'SELECT 1 AS found FROM pages WHERE ctx_region IS NOT NULL OR ctx_city IS NOT NULL LIMIT 1',
    )
    const counted = places.length ? lists : withoutPlaces
    const rows = await db.all<Row & { g: number }>(byVisitors(labels, counted))
    const list = (name: List) =>
      counted.includes(name)
        ? rows.filter((row) => row.g === maskOf(counted, name)).map(({ label, n }) => ({ label, n }))
        : []
    return {
      countries: list('countries').map((row) => ({ ...row, label: countryLabel(row.label), key: row.label })),
      regions: list('regions'),
      cities: list('cities'),
      browsers: list('browsers'),
      os: list('os'),
      types: list('types'),
      screens: list('screens'),
      versions: [...(filters?.browser ? (['browsers'] as const) : []), ...(filters?.os ? (['os'] as const) : [])],
    }
  },
  // Page views alone, none with a country, agent or screen, have nothing to show.
  filled: (d) => lists.some((list) => d[list].some(known)),
  render: (d, view) => {
    const panel = (list: List, rows: Row[]) => {
      const { dimension, title, tone } = listOf[list]
      // A version's row filters by the browser or system with that version.
      const versions = (d.versions as string[]).includes(list)
      const filter = versions ? (list === 'browsers' ? 'browser_version' : 'os_version') : dimension
      return `<div><h3>${title}${versions ? ' <small>versions</small>' : ''}</h3>${barList(
        rows.map((r) => ({
          label: r.label,
          value: r.n,
          // The metric names keep the panel's earlier names (`device-type:`), which pages and tests read.
          metric: `${dimension === 'device' ? 'device-type' : dimension}:${r.key ?? r.label}`,
          href: rowFilterLink(view, filter, r.key ?? r.label),
        })),
        tone,
      )}</div>`
    }
    const shown = shownLists(d)
    const attribution = shown.includes('regions')
      ? `<p class="note">Regions and cities: <a href="${dbIp}">IP Geolocation by DB-IP</a></p>`
      : ''
    // Each list shows its first ten; the countries' rows are all of them, for the map.
    const panels = shown.map((list) => panel(list, d[list].slice(0, top)))
    const map = worldMap(
      d.countries.map((row) => ({
        code: row.key ?? row.label,
        n: row.n,
        label: row.label,
        href: rowFilterLink(view, 'country', row.key ?? row.label),
      })),
    )
    return `${map}<div class="split">${panels.join('')}</div>${attribution}`
  },
  csv: (d) => ({
    header: ['dimension', 'value', 'visitors'],
    rows: shownLists(d).flatMap((dimension) => d[dimension].map((r) => [dimension, r.key ?? r.label, r.n])),
  }),
})
