import { isIP } from 'node:net'
import { Reader, type Response } from 'mmdb-lib'

/**
 * Where an address is registered: its country as an ISO 3166-1 alpha-2 code and, from a city dataset, the region
 * (a state, province or English region: `Lower Saxony`) and the city, each as the dataset names it.
 */
export interface Place {
  country: string
  region?: string
  city?: string
}

/** The place of an address, or undefined when unknown. */
export type LocationLookup = (ip: string | undefined) => Place | undefined

/**
 * A MaxMind DB file's bytes, read when first needed: a city dataset comes as one file per address family, each tens
 * of MB, and a collector that sees no IPv6 client never holds that one.
 */
export type MmdbSource = Buffer | (() => Buffer)

/** The files of one dataset: a single file for both address families, or one for each. */
export type MmdbFiles = MmdbSource | { ipv4: MmdbSource; ipv6: MmdbSource }

// Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d; the datasets file them under a.b.c.d.
const mappedIpv4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i
const countryCode = /^[A-Z]{2}$/
// Private, loopback, link-local and documentation addresses are in no dataset: answered without reading one (a test's or a
// development machine's traffic never loads a city dataset).
const unlisted = /^(?:10\.|127\.|192\.168\.|169\.254\.|172\.(?:1[6-9]|2\d|3[01])\.|::1$|f[cd]|fe[89ab]|2001:db8:)/i

/** The ip-location-db records are flat: `country_code`, and in the city sets `state1` and `city` ("" when unknown). */
interface FlatRecord {
  country_code?: unknown
  state1?: unknown
  city?: unknown
}

const named = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 100) : undefined

/** The reader of a file, made on first use; a file that cannot be read or opened is tried once, then knows nothing. */
function lazyReader(source: MmdbSource): () => Reader<Response> | undefined {
  let reader: Reader<Response> | undefined
  let failed = false
  return () => {
    if (reader || failed) return reader
    try {
      reader = new Reader<Response>(typeof source === 'function' ? source() : source)
    } catch {
      // Read again for every address, a missing or damaged file of tens of MB would stall each request.
      failed = true
    }
    return reader
  }
}

/**
 * Looks addresses up in a dataset in MaxMind DB form whose records hold `country_code`, and in the city datasets
 * `state1` and `city` (the `@ip-location-db/*-mmdb` packages). The last address and its answer are remembered: the
 * events of one request share their address, so a batch costs one lookup.
 *
 * @param files the dataset's bytes: one file, or one per address family (each read on its first address)
 * @example
 * const placeOf = createLocationLookup(readFileSync('iptoasn-country.mmdb'))
 * placeOf('193.99.144.80') // { country: 'DE' }
 */
export function createLocationLookup(files: MmdbFiles): LocationLookup {
  const split = typeof files === 'object' && 'ipv4' in files
  const v4 = lazyReader(split ? files.ipv4 : files)
  const v6 = split ? lazyReader(files.ipv6) : v4
  let lastIp: string | undefined
  let lastPlace: Place | undefined
  return (ip) => {
    if (!ip) return undefined
    if (ip === lastIp) return lastPlace
    const address = mappedIpv4.exec(ip)?.[1] ?? ip
    let place: Place | undefined
    // Not an address at all (a backend's `context.ip` is whatever it sent): no file is read for it.
    const family = isIP(address)
    if (family !== 0 && !unlisted.test(address)) {
      try {
        const record = (family === 4 ? v4() : v6())?.get(address) as FlatRecord | null | undefined
        const code = record?.country_code
        if (typeof code === 'string' && countryCode.test(code)) {
          place = { country: code }
          const region = named(record?.state1)
          const city = named(record?.city)
          if (region) place.region = region
          if (city) place.city = city
        }
      } catch {
        // A record the reader cannot decode: no place, as for an address no dataset lists.
        place = undefined
      }
    }
    lastIp = ip
    lastPlace = place
    return place
  }
}
