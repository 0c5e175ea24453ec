import type { Classification } from './classification.js'

/** A user-agent pattern and what it means for an open and for a click. */
export interface UserAgentPattern {
  name: string
  test: (userAgent: string) => boolean
  open: Classification
  click: Classification
}

const matches = (pattern: RegExp) => (userAgent: string) => pattern.test(userAgent)

/**
 * The user agents that give a machine away, first match wins. Each is a fact about how the machine presents
 * itself, not a guess about who is behind an ordinary browser:
 * - Gmail's image proxy says `GoogleImageProxy`; it fetches when the mail is opened, so the open counts.
 * - Apple Mail Privacy Protection fetches through Apple's relays with the bare user agent `Mozilla/5.0`, which no
 *   browser sends; it does not follow links, so a click with it is some other machine.
 * - Mail security gateways that name themselves.
 * - Headless browsers, HTTP libraries and crawlers.
 */
export const userAgentPatterns: readonly UserAgentPattern[] = [
  { name: 'GoogleImageProxy', test: matches(/GoogleImageProxy/), open: 'gmail_proxy', click: 'bot' },
  { name: 'bare Mozilla/5.0', test: (ua) => ua.trim() === 'Mozilla/5.0', open: 'apple_mpp', click: 'bot' },
  {
    name: 'security gateway',
    test: matches(/barracuda|mimecast|proofpoint|ironport/i),
    open: 'scanner',
    click: 'scanner',
  },
  {
    name: 'headless browser',
    test: matches(/headless|phantomjs|selenium|puppeteer|playwright/i),
    open: 'bot',
    click: 'bot',
  },
  {
    name: 'http library',
    test: matches(
      /^(curl|wget|python|go-http-client|java|okhttp|node|undici|axios|libwww-perl|ruby|php|httpclient)\b/i,
    ),
    open: 'bot',
    click: 'bot',
  },
  {
    name: 'crawler',
    test: matches(/bot\b|crawl|spider|slurp|facebookexternalhit|preview/i),
    open: 'bot',
    click: 'bot',
  },
]

/** The first pattern that matches a user agent; a missing or empty one is its own pattern. */
export function matchUserAgent(userAgent: string | undefined): UserAgentPattern | undefined {
  if (!userAgent?.trim()) return { name: 'no user agent', test: () => true, open: 'bot', click: 'bot' }
  return userAgentPatterns.find((pattern) => pattern.test(userAgent))
}
