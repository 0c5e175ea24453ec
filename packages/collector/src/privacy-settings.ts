import { createRedactor, type RedactUrl } from '@spoor/protocol'
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
  /** The redaction of every URL its events record: the default names and the site's `redact` ones. */
  redactUrl: RedactUrl
  /** The site's own `redact` names as one pattern, when it has any: the pixel's query parameters are tested too. */
  redactNames?: RegExp
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
/** A site's settings when the config says nothing (and an unknown key's). */
export const defaultSitePrivacy: SitePrivacy = { gpc: 'minimize', visitorHash: false, redactUrl: createRedactor() }
const defaults = defaultSitePrivacy
// A site's own names: enough for any site's private parameters, few enough that each URL's test stays short.
const maxRedactNames = 32
const maxRedactNameChars = 100

/** The redaction of a site's `redact` names (regular expression fragments, matched in parameter names). */
function siteRedaction(names: unknown, at: string): Pick<SitePrivacy, 'redactUrl' | 'redactNames'> {
  if (names === undefined) return { redactUrl: defaults.redactUrl }
  const example = `${at}.redact must be a list of parameter names like ["order_ref", "voucher"]`
  if (!Array.isArray(names) || names.length > maxRedactNames)
    throw new ConfigError(`${example}, at most ${maxRedactNames}`)
  for (const name of names) {
    if (typeof name !== 'string' || name === '' || name.length > maxRedactNameChars)
      throw new ConfigError(`${example}: each a non-empty string of at most ${maxRedactNameChars} characters`)
    try {
      new RegExp(name)
    } catch {
      throw new ConfigError(`${at}.redact: "${name}" is not a valid regular expression fragment`)
    }
  }
  if (!names.length) return { redactUrl: defaults.redactUrl }
  return { redactUrl: createRedactor(names), redactNames: new RegExp(names.join('|'), 'i') }
}

/**
 * Reads the privacy settings: the `privacy` section (IP masking) and each site's `gpc`, `visitorHash` and `redact`
 * (more URL parameter names to redact, besides email, token, password, …). Throws a
 * {@link ConfigError} naming the setting to fix. Writing raw IPs is not offered: at least one IPv4 byte is masked.
 *
 * @example
 * {"privacy": {"ipv4MaskBytes": 2, "ipv6PrefixBits": 48},
 *  "sites": [{"writeKey": "KEY", "origins": ["https://shop.example"], "gpc": "minimize", "visitorHash": true,
 *             "redact": ["order_ref"]}]}
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
    bySite.set(site.writeKey, {
      gpc: gpc as GpcPolicy,
      visitorHash,
      ...siteRedaction(site.redact, `sites[${i}]`),
    })
  })
  return {
    ipMask: { ipv4MaskBytes: ipv4MaskBytes as number, ipv6PrefixBits: ipv6PrefixBits as number },
    site: (writeKey) => bySite.get(writeKey) ?? defaults,
  }
}
