import type { SiteConfig, SpoorConfig } from './config.js'

export interface Sites {
  /** Every configured site. */
  readonly all: readonly SiteConfig[]
  /** The site of a write key, or undefined for an unknown key. */
  byKey(writeKey: string): SiteConfig | undefined
  /** Whether a page at `origin` may send events with this site's key. */
  allows(site: SiteConfig, origin: string): boolean
  /** Whether any site accepts `origin` (preflights carry no write key). */
  anyAllows(origin: string): boolean
}

/** Looks sites up by write key and checks origins against them. */
export function createSites(config: SpoorConfig): Sites {
  const byKey = new Map(config.sites.map((site) => [site.writeKey, site]))
  const allows = (site: SiteConfig, origin: string) => site.origins.includes('*') || site.origins.includes(origin)
  return {
    all: config.sites,
    byKey: (writeKey) => byKey.get(writeKey),
    allows,
    anyAllows: (origin) => config.sites.some((site) => allows(site, origin)),
  }
}
