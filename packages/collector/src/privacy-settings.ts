import { ConfigError, type SpoorConfig } from './config.js'

/**
 * What a site does with events sent with `Sec-GPC: 1` (Global Privacy Control, a legal opt-out of sale and
 * sharing under CCPA/CPRA):
 * - `mark`: keep them as they are, with `context.gpc = true`, for downstream to keep out of sharing;
 * - `minimize` (default): mark them, and keep no IP (not even masked), no visitor hash and no ad click ids
 *   (`gclid`, `fbclid`, `msclkid`, `ttclid`, `dclid`, `wbraid`, `gbraid`) in `context.campaign`;
 * - `drop`: write nothing; the answer counts them as `optedOut`.
 */
export type GpcPolicy = 'mark' | 'minimize' | 'drop'

/** A site's privacy settings, from its entry in the config. */
export interface SitePrivacy {
  gpc: GpcPolicy
  /** Add `context.visitor_hash`, the cookieless daily visitor id (default false). */
  visitorHash: boolean
}

/** How IPs are masked before anything is written: `{"privacy": {"ipv4MaskBytes": 2, "ipv6PrefixBits": 48}}`. */
export interface IpMask {
  /** IPv4 bytes zeroed from the right, 1–4 (default 2: `203.0.113.7` → `203.0.0.0`). */
  ipv4MaskBytes: number
  /** IPv6 bits kept from the left, 0–64 (default 48). */
  ipv6PrefixBits: number
}

/** The privacy settings of a whole config, read once at start. */
export interface PrivacySettings {
  ipMask: IpMask
  /** The settings of a write key's site (defaults for an unknown key). */
  site(writeKey: string): SitePrivacy
}

const policies: GpcPolicy[] = ['mark', 'minimize', 'drop']
const defaults: SitePrivacy = { gpc: 'minimize', visitorHash: false }

/**
 * Reads the privacy settings: the `privacy` section (IP masking) and each site's `gpc` and `visitorHash`. Throws a
 * {@link ConfigError} naming the setting to fix. Writing raw IPs is not offered: at least one IPv4 byte is masked.
 *
 * @example
 * {"privacy": {"ipv4MaskBytes": 2, "ipv6PrefixBits": 48},
 *  "sites": [{"writeKey": "KEY", "origins": ["https://shop.example"], "gpc": "minimize", "visitorHash": true}]}
 */
export function readPrivacySettings(config: SpoorConfig): PrivacySettings {
  const section = (config.privacy ?? {}) as Record<string, unknown>
  if (typeof section !== 'object' || Array.isArray(section)) throw new ConfigError('"privacy" must be an object')
  const ipv4MaskBytes = section.ipv4MaskBytes ?? 2
  const ipv6PrefixBits = section.ipv6PrefixBits ?? 48
  if (!Number.isInteger(ipv4MaskBytes) || (ipv4MaskBytes as number) < 1 || (ipv4MaskBytes as number) > 4) {
    throw new ConfigError('privacy.ipv4MaskBytes must be 1, 2, 3 or 4 (bytes zeroed; raw IPs are never written)')
  }
  if (!Number.isInteger(ipv6PrefixBits) || (ipv6PrefixBits as number) < 0 || (ipv6PrefixBits as number) > 64) {
    throw new ConfigError('privacy.ipv6PrefixBits must be a whole number from 0 to 64')
  }
  const bySite = new Map<string, SitePrivacy>()
  config.sites.forEach((site, i) => {
    const gpc = site.gpc ?? defaults.gpc
    if (!policies.includes(gpc as GpcPolicy)) {
      throw new ConfigError(`sites[${i}].gpc must be one of ${policies.map((p) => `"${p}"`).join(', ')}`)
    }
    const visitorHash = site.visitorHash ?? defaults.visitorHash
    if (typeof visitorHash !== 'boolean') throw new ConfigError(`sites[${i}].visitorHash must be true or false`)
    bySite.set(site.writeKey, { gpc: gpc as GpcPolicy, visitorHash })
  })
  return {
    ipMask: { ipv4MaskBytes: ipv4MaskBytes as number, ipv6PrefixBits: ipv6PrefixBits as number },
    site: (writeKey) => bySite.get(writeKey) ?? defaults,
  }
}
