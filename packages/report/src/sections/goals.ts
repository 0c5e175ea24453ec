import { sqlList } from '../compaction/sql.js'
import type { Db } from '../duckdb.js'
import { activeFilters, beyondGoal, keepSessions, type ReportFilters } from '../filters.js'
import { hints } from '../hints.js'
import { fmtInt, fmtPct, linkedLabel, metric, scrollingTable, share, shownLabel } from '../html.js'
import { plainLabel } from '../label.js'
import { rowFilterLink } from '../row-filter-link.js'
import { defineSection } from '../section.js'
import { matchesPageGoal, pageGoalName } from '../site-goals.js'
import { propertyPairsSql } from '../sql/property-pairs.js'
import { passiveEvents } from '../sql/visits.js'

// Recorded on their own for every page or click, or by spoor's email routes: measurements, not goals.
const notGoals = [...passiveEvents, 'Element Clicked', 'Email Opened', 'Email Link Clicked', 'Video Content Playing']

interface Goal {
  event: string
  visitors: number
  total: number
}

/** One value of a property the filtered goal's events carried. */
interface GoalProperty {
  property: string
  value: string
  visitors: number
  total: number
}

// A goal's line: one of the visitor's own custom events, not a measurement.
const goalSql = `type = 'track' AND NOT derived AND event IS NOT NULL AND event NOT IN (${sqlList(notGoals)})`
// Everyone who viewed a page, and a backend's converting visitor the browser never showed: a rate stays ≤ 100%.
const visitorsSql = (where = '') =>
  `SELECT count(DISTINCT visitor_key) AS n FROM events WHERE (type = 'page' OR (${goalSql}))${where}`

/**
 * What a goal's conversion rate is a share of in a view filtered to a goal (or a goal's property): the visitors of
 * the view without that filter, as Plausible counts it, or every goal would convert 100% of the visitors kept. Read
 * before the filters narrow `events`; undefined when no such filter is set.
 */
export async function conversionBase(
  db: Db,
  filters: ReportFilters | undefined,
  pageGoals: readonly string[] = [],
): Promise<number | undefined> {
  const set = activeFilters(filters)
  if (!set.goal && !set.property) return undefined
  const kept = await keepSessions(db, beyondGoal(set), pageGoals)
  const [all] = await db.all<{ n: number }>(
    visitorsSql(kept ? ' AND session_id IN (SELECT session_id FROM kept_sessions)' : ''),
  )
  return all?.n ?? 0
}

// The custom events shown, and of a goal's properties the most frequent keys and values of each, each cut to a
// length a table cell shows (`sql/property-pairs.ts`: an event may be 32 KB, 25 of them whole would weigh on the page).
const shownGoals = 12
const propertiesShown = 5
const valuesShown = 5

/**
 * The properties of one goal's events, when the view is filtered to it (as Plausible breaks a goal down by its custom
 * properties): each scalar value (text, number, true or false; not an object or a list) with its visitors and
 * events, for the most frequent keys and values. Bounded however many keys and values, and however long, a sender
 * made up.
 */
const goalPropertiesSql = `
  WITH pairs AS (${propertyPairsSql('AND event = $goal')}),
  scalar AS (SELECT * FROM pairs WHERE kind NOT IN ('OBJECT', 'ARRAY', 'NULL')),
  top_keys AS (SELECT property FROM scalar GROUP BY property ORDER BY count(*) DESC, property LIMIT ${propertiesShown})
  SELECT property, value, count(DISTINCT visitor_key) AS visitors, count(*) AS total
  FROM scalar SEMI JOIN top_keys USING (property)
  GROUP BY property, value
  QUALIFY row_number() OVER (PARTITION BY property ORDER BY count(*) DESC, value) <= ${valuesShown}
  ORDER BY property, total DESC, value`

/**
 * Goals as Plausible counts them: every custom event name (a `track` call, or an element marked
 * `data-spoor-event="Name"`, which the tag sends under that name), and the pages the site names as goals
 * (`Visit /thank-you`), with the visitors who completed it, how often, and the conversion rate (those visitors ÷
 * all visitors).
 */
export const goals = defineSection({
  id: 'goals',
  kind: 'behavioral',
  title: 'Goals',
  subtitle: 'Custom events: visitors who completed each, how often, and the share of all visitors',
  hint: hints.goals,
  async load({ db, filters, pageGoals = [], conversionBase }) {
    const events = await db.all<Goal>(
      `SELECT event, count(DISTINCT visitor_key) AS visitors, count(*) AS total FROM events WHERE ${goalSql}
       GROUP BY event ORDER BY visitors DESC, total DESC, event LIMIT ${shownGoals}`,
    )
    // The page goals the site names: their visitors and page views, in one pass over the page views.
    const pages = pageGoals.length
      ? await db.all<Goal & { pattern: string }>(
          `SELECT g.pattern, count(DISTINCT p.visitor_key) AS visitors, count(p.visitor_key) AS total
           FROM (VALUES ${pageGoals.map((_, i) => `($goal${i})`).join(', ')}) g(pattern)
           LEFT JOIN (SELECT visitor_key, path FROM pages WHERE NOT derived) p ON ${matchesPageGoal('p.path', 'g.pattern')}
           GROUP BY g.pattern`,
          Object.fromEntries(pageGoals.map((pattern, i) => [`goal${i}`, pattern])),
        )
      : []
    const byVisitors = (a: Goal, b: Goal) =>
      b.visitors - a.visitors || b.total - a.total || a.event.localeCompare(b.event)
    const reached = pages.flatMap(({ pattern, visitors, total }) =>
      visitors > 0 ? [{ event: pageGoalName(pattern), visitors, total }] : [],
    )
    // The page goals the site named all show, beside the twelve most frequent custom events: one it chose to count
    // does not push out an event the visitors sent, nor the other way round.
    const rows = [...reached, ...events].sort(byVisitors)
    // Filtered to a goal, its visitors are a share of the view's before that filter.
    const [all] = conversionBase === undefined ? await db.all<{ n: number }>(visitorsSql()) : [{ n: conversionBase }]
    const properties = filters?.goal
      ? { goal: filters.goal, rows: await db.all<GoalProperty>(goalPropertiesSql, { goal: filters.goal }) }
      : undefined
    return { rows, visitors: all?.n ?? 0, ...(properties ? { properties } : {}) }
  },
  filled: (d) => d.rows.length > 0,
  render: (d, view) =>
    `${scrollingTable(
      'Goals',
      `<table class="table"><thead><tr><th>goal</th><th>visitors</th><th>events</th><th>conversion</th></tr></thead><tbody>${d.rows
        .map(
          (
            g,
          ) => `<tr><td><b>${linkedLabel(g.event, rowFilterLink(view, 'goal', g.event))}</b></td><td>${metric(`goal-visitors:${g.event}`, g.visitors, fmtInt(g.visitors))}</td>
<td>${metric(`goal-events:${g.event}`, g.total, fmtInt(g.total))}</td>
<td>${metric(`goal-conversion:${g.event}`, share(g.visitors, d.visitors), fmtPct(share(g.visitors, d.visitors)))}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    )}${
      d.properties?.rows.length
        ? `<h3>Properties of ${shownLabel(d.properties.goal)}<small>the most frequent, with their visitors and events</small></h3>
${scrollingTable(
  `Properties of ${plainLabel(d.properties.goal)}`,
  `<table class="table"><thead><tr><th>property</th><th>value</th><th>visitors</th><th>events</th></tr></thead><tbody>${d.properties.rows
    .map(
      (
        p,
      ) => `<tr><td>${shownLabel(p.property)}</td><td>${linkedLabel(p.value, rowFilterLink(view, 'property', `${p.property}=${p.value}`))}</td>
<td>${metric(`goal-property-visitors:${p.property}=${p.value}`, p.visitors, fmtInt(p.visitors))}</td>
<td>${metric(`goal-property-events:${p.property}=${p.value}`, p.total, fmtInt(p.total))}</td></tr>`,
    )
    .join('')}</tbody></table>`,
)}`
        : ''
    }`,
  // A goal's properties follow its goals, their event named and the property in columns of their own.
  csv: (d) => {
    const rate = (visitors: number) => (d.visitors ? visitors / d.visitors : 0)
    const { goal, rows } = d.properties ?? { goal: '', rows: [] }
    const properties = rows.map((p) => [goal, p.property, p.value, p.visitors, p.total, rate(p.visitors)])
    return {
      header: ['event', 'property', 'value', 'visitors', 'total', 'conversion_rate'],
      rows: [...d.rows.map((r) => [r.event, null, null, r.visitors, r.total, rate(r.visitors)]), ...properties],
    }
  },
})
