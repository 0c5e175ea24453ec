import type { EventLine } from '@spoor/protocol'

const downloads = /\.(pdf|zip|dmg|exe|docx?|xlsx?|pptx?|csv|mp[34])$/i
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

/** The host and path of an absolute http(s) URL; undefined for anything else (`mailto:`, `javascript:`, junk). */
function partsOf(url: unknown): { host: string; path: string } | undefined {
  if (typeof url !== 'string') return undefined
  const match = /^https?:\/\/([^/?#]*)([^?#]*)/i.exec(url)
  return match ? { host: match[1]!.toLowerCase(), path: match[2]! } : undefined
}

/**
 * An `Element Clicked` event's `outbound` (its link leaves the page's host over http(s)) and `download` (its link has
 * a `download` attribute, which the browser reports, or names a file by its extension), from the link and the page
 * the browser recorded. What the event already says is kept.
 */
export function deriveClickFacts(line: EventLine): void {
  if (line.event !== 'Element Clicked') return
  const properties = line.properties
  const link = partsOf(properties.href)
  if (properties.outbound === undefined) {
    const page = isObject(line.context.page) ? partsOf(line.context.page.url) : undefined
    properties.outbound = !!link && !!page && link.host !== page.host
  }
  if (properties.download !== true) properties.download = !!link && downloads.test(link.path)
}
