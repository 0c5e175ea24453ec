import { utf8Length } from '@spoor/protocol'
import type { Arrival } from '../steps/to-event-line.js'
import { localeOf, userAgentDataOf } from './client-hints.js'
import { addDeviceFacts } from './device-facts.js'
import { agentChars } from './page-facts.js'
import { sharedUserAgentFacts } from './user-agent-facts.js'

/**
 * The bytes of header facts each line may carry beside the request's share, like its own fixed fields: a real
 * browser's agent, client hints, locale, browser, OS and device come to 300–450 bytes.
 */
export const headerFactsAllowance = 512

/**
 * What a request's own headers weigh: the bytes of the headers the collector reads (agent, client hints,
 * languages) as received, and the bytes of the facts it makes of them (`context.userAgent`, `.userAgentData`,
 * `.locale`) as each line made from the request carries them. Like a batch's context, those facts are copied into
 * every event of the request, so what they take beyond {@link headerFactsAllowance} per line counts against its
 * share of what it may write.
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
  const userAgent = arrival.userAgent?.slice(0, agentChars)
  const userAgentData = hints && userAgentDataOf(hints)
  const facts = { userAgent, userAgentData, locale: hints && localeOf(hints) }
  // Beside them, the browser, OS and device type read from the agent or the hints, as the line will have them.
  const device: Record<string, unknown> = userAgentData ? { userAgentData } : {}
  addDeviceFacts(device, sharedUserAgentFacts(userAgent))
  device.userAgentData = undefined
  return { received, copied: utf8Length(JSON.stringify(facts)) + utf8Length(JSON.stringify(device)) }
}
