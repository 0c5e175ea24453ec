import { Reader, type Response } from 'mmdb-lib'

/** The ISO 3166-1 alpha-2 code of the country an address is registered in, or undefined when unknown. */
export type CountryLookup = (ip: string | undefined) => string | undefined

// Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d; the dataset files them under a.b.c.d.
const mappedIpv4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i
const countryCode = /^[A-Z]{2}$/

/**
 * Looks addresses up in a country database in MaxMind DB form whose records hold `country_code` (the
 * `@ip-location-db/*-country-mmdb` datasets). The last address and its answer are remembered: the events of one
 * request share their address, so a batch costs one lookup. Private, reserved and unlisted addresses have no country.
 *
 * @param mmdb the database file's bytes
 * @example
 * const countryOf = createCountryLookup(readFileSync('iptoasn-country.mmdb'))
 * countryOf('193.99.144.80') // 'DE'
 */
export function createCountryLookup(mmdb: Buffer): CountryLookup {
  const reader = new Reader<Response>(mmdb)
  let lastIp: string | undefined
  let lastCountry: string | undefined
  return (ip) => {
    if (!ip) return undefined
    if (ip === lastIp) return lastCountry
    const address = mappedIpv4.exec(ip)?.[1] ?? ip
    let country: string | undefined
    try {
      // The ip-location-db files hold a flat `country_code`, not MaxMind's nested records the types describe.
      const code = (reader.get(address) as { country_code?: unknown } | null)?.country_code
      country = typeof code === 'string' && countryCode.test(code) ? code : undefined
    } catch {
      // Not an address (the resolver only passes addresses, but a backend's context.ip is whatever it sent).
      country = undefined
    }
    lastIp = ip
    lastCountry = country
    return country
  }
}
