import { type EventLine, limits } from '@spoor/protocol'
import type { Arrival } from '../steps/to-event-line.js'
import { type DerivedRoom, jsonTextBytes, jsonValueBytes } from './derived-room.js'

const pageFields = ['path', 'referrer', 'search', 'title', 'url'] as const
/** The request's agent as a line carries it (see `limits.userAgentChars`). */
export const agentChars = limits.userAgentChars
// An absolute URL's path and query, as `location.pathname` and `location.search` give them.
const urlPattern = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*([^?#]*)(\?[^#]*)?/i

/**
 * Facts the browser need not repeat in each event: `context.userAgent` is the request's own agent, cut to 512
 * characters (never a server library's: the route leaves it out for those); `context.page.path` and `.search` are
 * read from its `url`; and a page event's properties hold its page's fields (path, referrer, search, title, url)
 * under its own, as Segment's page calls have them. Each copy is charged to the request's `room`; they are always made
 * (the report reads a page's path), so it may go below nothing, and the copies made after it then are not.
 */
export function derivePageFacts(line: EventLine, arrival: Arrival, room: DerivedRoom): void {
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
    if (page.path === undefined) {
      page.path = parts[1] || '/'
      room.bytes -= jsonTextBytes(page.path) + 10
    }
    if (page.search === undefined) {
      page.search = parts[2] && parts[2].length > 1 ? parts[2] : ''
      room.bytes -= jsonTextBytes(page.search) + 12
    }
  }
  if (line.type !== 'page') return
  const properties = line.properties
  const filled: Record<string, unknown> = {}
  for (const field of pageFields) {
    const value = page[field]
    if (value === undefined || properties[field] !== undefined) continue
    filled[field] = value
    room.bytes -= jsonValueBytes(value) + field.length + 4
  }
  line.properties = { ...filled, ...properties } as typeof properties
}
