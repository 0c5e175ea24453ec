import type { EventLine } from '@spoor/protocol'
import { addPlace } from '../derive/add-place.js'
import { addDeviceFacts } from '../derive/device-facts.js'
import { installedLocationLookup } from '../derive/installed-location-lookup.js'
import type { LocationLookup } from '../derive/location-lookup.js'
import { sharedUserAgentFacts, type UserAgentFacts } from '../derive/user-agent-facts.js'
import type { SitePrivacy } from '../privacy-settings.js'
import { isBotAgent } from './flag-bot.js'
import type { VisitorHasher } from './visitor-hash.js'

/** Ad-platform click ids: with GPC they would hand the visit to the ad network the visitor opted out of. */
const adClickIds = ['gclid', 'fbclid', 'msclkid', 'ttclid', 'dclid', 'wbraid', 'gbraid']

/** What {@link enrichLine} needs beyond the line: the site's settings and the request's address and agent. */
export interface EnrichInput {
  site: Pick<SitePrivacy, 'gpc' | 'visitorHash'>
  /** The unmasked client address, used for the visitor hash and then forgotten. */
  rawIp: string | undefined
  /** The request's user agent, unless the request is an authenticated server-side call (`isServerCall`). */
  requestUserAgent: string | undefined
  gpc: boolean
  hasher?: VisitorHasher
  /** The place of an address (default: the installed dataset's, see `installed-location-lookup.ts`). */
  placeOf?: LocationLookup
  /** The browser, OS and device type of an agent (default: one parser and memory for the process). */
  userAgentFacts?: (userAgent: string | undefined) => UserAgentFacts
}

/**
 * Adds what the collector knows of an event beyond what was sent, in place: `context.bot = true` for bots and
 * headless browsers, `context.gpc = true` under Global Privacy Control (minimized per the site's policy), and
 * `context.visitor_hash` where the site asks for it and GPC does not forbid it; and, unless the event carries
 * them, `context.location` from the unmasked address (the country, and where a city dataset is installed the region
 * and city but under GPC `minimize`), `context.browser`, `context.os` and `context.device.type` from the agent and
 * client hints.
 */
export function enrichLine(line: EventLine, input: EnrichInput): void {
  const context = line.context
  // The agent an event is about: the one it carries (a browser's own, or the visitor's that a backend forwarded),
  // else the request's. A server-side call's request agent is never judged: on its lines `bot` says only that the
  // agent its sender forwarded is a bot's, and is absent when none was forwarded.
  const userAgent = typeof context.userAgent === 'string' ? context.userAgent : input.requestUserAgent
  if (isBotAgent(userAgent)) context.bot = true
  addDeviceFacts(context, (input.userAgentFacts ?? sharedUserAgentFacts)(userAgent))
  const minimize = input.gpc && input.site.gpc === 'minimize'
  // Only names are written, never the coordinates; a country is coarse enough to keep even where GPC minimizes the
  // address away, a city is not.
  addPlace(context, (input.placeOf ?? installedLocationLookup())(input.rawIp), minimize)
  if (input.gpc) context.gpc = true
  if (minimize) {
    delete context.ip
    for (const key of ['campaign', 'first_campaign']) {
      const campaign = context[key]
      if (typeof campaign !== 'object' || campaign === null) continue
      const kept = { ...(campaign as Record<string, unknown>) }
      for (const id of adClickIds) delete kept[id]
      context[key] = kept
    }
  }
  if (input.site.visitorHash && !minimize && input.hasher) {
    const hash = input.hasher.hash(line.writeKey, input.rawIp, userAgent, new Date(line.timestamp))
    if (hash) context.visitor_hash = hash
  }
}
