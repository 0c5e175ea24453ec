import { isbot } from 'isbot'

// Mail image proxies fetch a pixel because a person opened the mail: an open, not a crawler (SPEC §3).
const imageProxy = /GoogleImageProxy|ggpht\.com/i

/**
 * Whether a user agent is a bot, crawler or headless browser (isbot's list, which includes `HeadlessChrome`).
 * Such events are flagged with `context.bot = true` and kept: dropping them would answer 2xx for an event that
 * was never written (Umami does), and downstream can still choose to filter.
 */
export function isBotAgent(userAgent: string | undefined): boolean {
  if (!userAgent) return false
  return isbot(userAgent) && !imageProxy.test(userAgent)
}
