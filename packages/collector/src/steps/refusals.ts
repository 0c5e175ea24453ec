import type { Logger } from '@spoor/log'
import type { SiteConfig } from '../config.js'
import { createWarnOnce, type WarnOnceOptions } from '../warn-once.js'
import { reasonLabel } from './accept-events.js'

/**
 * Requests refused for a mistake in a site's set-up, logged with the fix, so the operator sees what a browser
 * only shows as a CORS error. Each is logged once per site and reason (see `createWarnOnce`), never with the
 * client's address or the events.
 */
export interface Refusals {
  /** A request without a write key. */
  missingKey(origin: string | undefined): void
  /** A write key no site has, sent to `route`. */
  unknownKey(writeKey: string, route: string, origin: string | undefined): void
  /** A page at `origin` sent with the key of a site that does not list it. */
  originNotAllowed(site: SiteConfig, origin: string): void
  /** A CORS preflight from an origin no site lists (preflights carry no write key). */
  unknownOrigin(origin: string): void
  /** Events of `site` that failed validation, by reason (a label: numbers and quoted values taken out). */
  invalidEvents(site: SiteConfig, reasons: readonly { reason: string }[]): void
  /** Refusals remembered as logged now, and the most remembered at once. */
  remembered(): { size: number; capacity: number }
}

/** Shortens text a client chose (an origin, a write key) before it goes into a log line. */
export const clip = (text: string, max = 100) => (text.length > max ? text.slice(0, max) + '…' : text)

/** The name a site is known by in messages: its `name`, else its write key. */
export const siteLabel = (site: SiteConfig) => clip(site.name ?? site.writeKey)

/**
 * Creates the refusal log.
 *
 * @param source - the config file to name in the fixes (default "the config")
 */
export function createRefusals(log: Logger, source = 'the config', options?: WarnOnceOptions): Refusals {
  const warn = createWarnOnce(log, options)
  const from = (origin: string | undefined) => (origin ? ` from ${clip(origin)}` : '')
  return {
    remembered: () => ({ size: warn.size, capacity: warn.capacity }),
    missingKey(origin) {
      warn(
        `missing key|${clip(origin ?? '')}`,
        `refused events without a write key${from(origin)}: the sender must give its site's writeKey (HTTP Basic user, or "writeKey" in the body)`,
        {
          reason: 'missing write key',
          ...(origin ? { origin: clip(origin) } : {}),
        },
      )
    },
    unknownKey(writeKey, route, origin) {
      const key = clip(writeKey, 64)
      warn(
        `unknown key|${key}`,
        `refused events with unknown write key "${key}"${from(origin)}: no site in ${source} has this writeKey; correct the key where the events are sent, or add a site with it`,
        {
          reason: 'unknown write key',
          writeKey: key,
          route,
          ...(origin ? { origin: clip(origin) } : {}),
        },
      )
    },
    originNotAllowed(site, origin) {
      const name = siteLabel(site)
      const page = clip(origin)
      warn(
        `origin|${site.writeKey}|${page}`,
        `refused events from ${page} for site "${name}": add "${page}" to "origins" of site "${name}" in ${source}`,
        {
          reason: 'origin not allowed',
          site: name,
          origin: page,
        },
      )
    },
    unknownOrigin(origin) {
      const page = clip(origin)
      warn(
        `preflight|${page}`,
        `refused a CORS preflight from ${page}: no site lists it; add "${page}" to "origins" of its site in ${source}`,
        {
          reason: 'origin not allowed',
          origin: page,
        },
      )
    },
    invalidEvents(site, reasons) {
      const name = siteLabel(site)
      for (const label of new Set(reasons.map(({ reason }) => reasonLabel(reason)))) {
        warn(
          `invalid|${site.writeKey}|${label}`,
          `refused events of site "${name}": ${label}; the sender must fix them (each is kept with its reason under rejected/ in the data folder)`,
          {
            reason: 'invalid event',
            site: name,
            detail: label,
          },
        )
      }
    },
  }
}
