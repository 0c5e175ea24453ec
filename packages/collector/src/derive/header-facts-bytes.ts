import { utf8Length } from '@spoor/protocol'
import type { Arrival } from '../steps/to-event-line.js'
import { localeOf, userAgentDataOf } from './client-hints.js'
import { agentChars } from './page-facts.js'

// The most `context.browser`, `.os` and `.device` take: names and a version of a few dozen characters each.
const deviceFactsBytes = 192

/**
 * What a request's own headers weigh: the bytes of the headers the collector reads (agent, client hints,
 * languages) as received, and the bytes of the facts it makes of them (`context.userAgent`, `.userAgentData`,
 * `.locale`) as each line made from the request carries them. Like a batch's context, those facts are copied into
 * every event of the request, so they count against its share of what it may write.
 */
export function headerFactsBytes(arrival: Arrival): { received: number; copied: number } {
  const hints = arrival.clientHints
  const received =
    (arrival.userAgent?.length ?? 0) +
    (hints?.brands?.length ?? 0) +
    (hints?.mobile?.length ?? 0) +
    (hints?.platform?.length ?? 0) +
    (hints?.language?.length ?? 0)
  if (received === 0) return { received, copied: 0 }
  const facts = {
    userAgent: arrival.userAgent?.slice(0, agentChars),
    userAgentData: hints && userAgentDataOf(hints),
    locale: hints && localeOf(hints),
  }
  // Beside them, the browser, OS and device type read from the agent or the hints: short names, a few words each.
  return { received, copied: utf8Length(JSON.stringify(facts)) + deviceFactsBytes }
}
