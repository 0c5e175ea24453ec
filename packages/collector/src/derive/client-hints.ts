import type { JsonObject } from '@spoor/protocol'

/**
 * What a browser's request says of it: the low-entropy client-hint headers a Chromium-based browser sends with
 * every request to a secure origin, and its languages.
 */
export interface ClientHints {
  /** `Sec-CH-UA`: `"Chromium";v="143", "Not A(Brand";v="24"`. */
  brands?: string | undefined
  /** `Sec-CH-UA-Mobile`: `?0` or `?1`. */
  mobile?: string | undefined
  /** `Sec-CH-UA-Platform`: `"Linux"`. */
  platform?: string | undefined
  /** `Accept-Language`: `en-US,en;q=0.9`, whose first tag is `navigator.language`. */
  language?: string | undefined
}

// One brand of a Sec-CH-UA list: a quoted name and its quoted version (RFC 8941 strings, `\"` and `\\` escaped).
const brandPattern = /"((?:[^"\\]|\\.)*)"\s*;\s*v\s*=\s*"((?:[^"\\]|\\.)*)"/g
const unescapeQuoted = (text: string) => text.replace(/\\(.)/g, '$1')
// Few distinct headers reach a collector (one per browser release and platform), each parsed once.
const parsed = new Map<string, { brand: string; version: string }[]>()
const cacheEntries = 256
// A longer header is not a browser's; a browser sends three or four brands.
const maxHeader = 512
// A platform is a name ("Windows", "Chrome OS"): a longer one is not a browser's, and would be copied into every line.
const maxPlatform = 64

function brandsOf(header: string): { brand: string; version: string }[] {
  let brands = parsed.get(header)
  if (brands) return brands
  brands = [...header.matchAll(brandPattern)]
    .slice(0, 8)
    .map(([, brand, version]) => ({ brand: unescapeQuoted(brand!), version: unescapeQuoted(version!) }))
  if (parsed.size >= cacheEntries) parsed.clear()
  parsed.set(header, brands)
  return brands
}

/**
 * `context.locale`: the first tag of `Accept-Language`, which browsers build from the list `navigator.language`
 * heads; for the pixel's events (the SDK sends its own: Chromium's beacons carry no `Accept-Language`).
 */
export function localeOf(hints: ClientHints): string | undefined {
  const first = hints.language?.slice(0, 64).split(/[,;]/)[0]?.trim()
  return first && first !== '*' ? first : undefined
}

/**
 * `context.userAgentData` {brands, mobile, platform} from the request's client-hint headers: the same values
 * `navigator.userAgentData` gives the page (browsers without client hints send none, and get none).
 */
export function userAgentDataOf(hints: ClientHints): JsonObject | undefined {
  const { brands, mobile, platform } = hints
  if (brands === undefined || brands.length > maxHeader) return undefined
  return {
    brands: brandsOf(brands),
    mobile: mobile === '?1',
    platform:
      platform && platform.length <= maxPlatform + 2 ? unescapeQuoted(platform.replace(/^\s*"|"\s*$/g, '')) : '',
  }
}
