import { linePath } from '../sql/visits.js'
import type { FunnelStep } from './funnel-config.js'

/** A step's condition on a line, its value the parameter `$stepK`. */
const stepCondition = (step: FunnelStep, k: number) =>
  'page' in step
    ? `type = 'page' AND NOT derived AND ${linePath} = $step${k}`
    : `type = 'track' AND NOT derived AND event = $step${k}`

/**
 * The visits reaching each step of a funnel in order, as `v0`, `v1`...: a visit reaches a step when one of its lines
 * matches it at or after the line that reached the step before (another line: a page named twice in a row needs two
 * views). Other pages and events may come between. Each step reads only the lines matching it (the compacted days,
 * sorted by event, skip the others' row groups for an event's step), and joins the visits of the step before.
 * The steps' values are bound parameters (`$step0`...), never SQL.
 */
export function funnelSql(steps: FunnelStep[]): { sql: string; params: Record<string, string> } {
  const reached = steps.map((step, k) => {
    const lines = `SELECT session_id, timestamp, messageId FROM events WHERE session_id IS NOT NULL AND ${stepCondition(step, k)}`
    if (k === 0) {
      return `s0 AS (SELECT session_id, min(timestamp) AS t, arg_min(messageId, timestamp) AS id FROM (${lines}) GROUP BY session_id)`
    }
    return `s${k} AS (
      SELECT e.session_id, min(e.timestamp) AS t, arg_min(e.messageId, e.timestamp) AS id
      FROM (${lines}) e JOIN s${k - 1} p ON e.session_id = p.session_id AND e.timestamp >= p.t AND e.messageId <> p.id
      GROUP BY e.session_id)`
  })
  const counts = steps.map((_, k) => `(SELECT count(*) FROM s${k}) AS v${k}`).join(', ')
  const params = Object.fromEntries(steps.map((step, k) => [`step${k}`, 'page' in step ? step.page : step.event]))
  return { sql: `WITH ${reached.join(',\n')}\nSELECT ${counts}`, params }
}
