import { isbot } from 'isbot'

// Gmail fetches a mail's images through GoogleImageProxy (from ggpht.com) when a person opens it: such a fetch is an
// open, not a crawler, though isbot lists the proxy.
const imageProxy = /GoogleImageProxy|ggpht\.com/i

/**
 * Whether a user agent is a bot, crawler or headless browser (isbot's list, which includes `HeadlessChrome`).
 * Such events are flagged with `context.bot = true` and kept: dropping them would answer 2xx for an event that
 * was never written (Umami does), and downstream can still choose to filter.
 */
export function isBotAgent(userAgent: string | undefined): boolean {
  if (!userAgent) return false
  // A batch's events carry equal agents in strings of their own: comparing with the last is cheaper than hashing.
  if (userAgent === last.agent) return last.verdict
  let verdict = seen.get(userAgent)
  if (verdict === undefined) {
    verdict = isbot(userAgent) && !imageProxy.test(userAgent)
    // isbot's pattern costs microseconds per call and a batch repeats one agent: remember recent answers.
    if (seen.size >= 1000) seen.delete(seen.keys().next().value!)
    seen.set(userAgent, verdict)
  }
  last.agent = userAgent
  last.verdict = verdict
  return verdict
}

const seen = new Map<string, boolean>()
const last = { agent: '', verdict: false }
