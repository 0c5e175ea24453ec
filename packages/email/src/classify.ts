import type { Classification, Evidence } from './classification.js'
import type { RangeLookup } from './email-config.js'
import type { MessageSighting } from './message-memory.js'
import { matchUserAgent } from './user-agent-patterns.js'

/** What the collector saw of one open or click. */
export interface Observation {
  kind: 'open' | 'click'
  method: string
  userAgent: string | undefined
  /** The client's address: only used to look up the configured ranges, never written. */
  ip: string | undefined
  sighting: MessageSighting
}

/**
 * Classifies an open or click, first rule that applies wins: a HEAD request is a scanner (people's mail clients
 * and browsers GET; gateways checking a link often HEAD it); an address in a configured range is what the range
 * says; then the user agent (see `userAgentPatterns`); then a click within the burst window of a click on another link
 * of the same message, or of a HEAD on one of its links, is a scanner; else a person. The evidence lists every signal seen, whichever rule decided.
 *
 * @example
 * classify({ kind: 'open', method: 'GET', userAgent: 'Mozilla/5.0', ip: undefined, sighting }, lookup)
 * // → { classification: 'apple_mpp', evidence: { rule: 'user_agent', user_agent_pattern: 'bare Mozilla/5.0', … } }
 */
export function classify(
  seen: Observation,
  ranges: RangeLookup,
): { classification: Classification; evidence: Evidence } {
  const pattern = matchUserAgent(seen.userAgent)
  const range = ranges(seen.ip)
  const evidence = (rule: Evidence['rule']): Evidence => ({
    rule,
    method: seen.method,
    user_agent_pattern: pattern?.name ?? null,
    seconds_since_first: seen.sighting.secondsSinceFirst,
    address_range: range?.name ?? null,
  })
  if (seen.method === 'HEAD') return { classification: 'scanner', evidence: evidence('head_request') }
  if (range) return { classification: range.classification, evidence: evidence('address_range') }
  if (pattern) return { classification: pattern[seen.kind], evidence: evidence('user_agent') }
  if (seen.kind === 'click' && seen.sighting.burst)
    return { classification: 'scanner', evidence: evidence('click_burst') }
  return { classification: 'human', evidence: evidence('none') }
}
