import type { EventLine } from '@spoor/protocol'
import type { Arrival } from '../steps/to-event-line.js'

const pageFields = ['path', 'referrer', 'search', 'title', 'url'] as const
// The request's agent goes into every event of its batch: a browser's is a few hundred characters, and a longer
// header copied 2,500 times would make a 100 KB request write megabytes.
export const agentChars = 512
// An absolute URL's path and query, as `location.pathname` and `location.search` give them.
const urlPattern = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*([^?#]*)(\?[^#]*)?/i

/**
 * Facts the browser need not repeat in each event: `context.userAgent` is the request's own agent, cut to 512
 * characters (never a server library's: the route leaves it out for those); `context.page.path` and `.search` are
 * read from its `url`; and a page event's properties hold its page's fields (path, referrer, search, title, url)
 * under its own, as Segment's page calls have them.
 */
export function derivePageFacts(line: EventLine, arrival: Arrival): void {
  const context = line.context
  if (context.userAgent === undefined && arrival.userAgent !== undefined)
    context.userAgent = arrival.userAgent.slice(0, agentChars)
  const page = context.page
  if (typeof page !== 'object' || page === null) return
  // The browser sends the page's URL (redacted); its path and query are read from it.
  const parts =
    typeof page.url === 'string' && (page.path === undefined || page.search === undefined)
      ? urlPattern.exec(page.url)
      : null
  if (parts) {
    page.path ??= parts[1] || '/'
    page.search ??= parts[2] && parts[2].length > 1 ? parts[2] : ''
  }
  if (line.type !== 'page') return
  const properties = line.properties
  const filled: Record<string, unknown> = {}
  for (const field of pageFields) if (page[field] !== undefined) filled[field] = page[field]
  line.properties = { ...filled, ...properties } as typeof properties
}
