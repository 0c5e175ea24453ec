import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import {
  countryDatasets,
  findLocationLookup,
  installedLocationLookup,
  locationDatasets,
} from '../src/derive/installed-location-lookup.js'
import { createLocationLookup } from '../src/derive/location-lookup.js'

const resolve = createRequire(import.meta.url).resolve
const citySet = locationDatasets[0] as { ipv4: string; ipv6: string }
const unlisted = ['10.0.0.1', '192.168.1.1', '172.20.0.1', '127.0.0.1', '::1', 'fd00::1', 'fe80::1', '2001:db8::1']

describe('the place of an address, in a country set', () => {
  const placeOf = createLocationLookup(readFileSync(resolve(countryDatasets[0]!)))

  it('is the ISO code of an IPv4 address’s country, also in the IPv4-mapped form Node reports', () => {
    expect(placeOf('193.99.144.80')).toEqual({ country: 'DE' })
    expect(placeOf('81.2.69.160')).toEqual({ country: 'GB' })
    expect(placeOf('::ffff:193.99.144.80')).toEqual({ country: 'DE' })
  })

  it('is the ISO code of an IPv6 address’s country', () => {
    expect(placeOf('2003::1')).toEqual({ country: 'DE' })
    expect(placeOf('2a02:2e0:3fe:1001::1')).toEqual({ country: 'DE' })
  })

  it('is unknown for private, loopback, link-local, documentation and malformed addresses, and for none', () => {
    for (const ip of [...unlisted, 'not-an-ip', '']) expect(placeOf(ip), ip).toBeUndefined()
    expect(placeOf(undefined)).toBeUndefined()
  })

  it('answers alike for an address asked twice in a row, and for one asked again after another', () => {
    expect([placeOf('81.2.69.160'), placeOf('81.2.69.160'), placeOf('10.0.0.1'), placeOf('81.2.69.160')]).toEqual([
      { country: 'GB' },
      { country: 'GB' },
      undefined,
      { country: 'GB' },
    ])
  })
})

describe('the place of an address, in the city set', () => {
  const reads: string[] = []
  const file = (family: 'ipv4' | 'ipv6') => () => {
    reads.push(family)
    return readFileSync(resolve(citySet[family]))
  }
  const placeOf = createLocationLookup({ ipv4: file('ipv4'), ipv6: file('ipv6') })

  it('reads no file for addresses no dataset lists, nor for what is no address', () => {
    for (const ip of [...unlisted, 'unknown', 'not-an-ip', '1.2.3', '::ffff:10.1.2.3']) {
      expect(placeOf(ip), ip).toBeUndefined()
    }
    expect(reads).toEqual([])
  })

  it('is the country, region and city, each family from its own file, read once on its first address', () => {
    expect(placeOf('193.99.144.80')).toEqual({ country: 'DE', region: 'Lower Saxony', city: expect.any(String) })
    expect(placeOf('8.8.8.8')).toEqual({ country: 'US', region: 'California', city: 'Mountain View' })
    expect(reads).toEqual(['ipv4'])
    expect(placeOf('::ffff:8.8.8.8')).toEqual({ country: 'US', region: 'California', city: 'Mountain View' })
    expect(placeOf('2a00:1450:4001:80b::200e')).toMatchObject({ country: 'DE', region: 'Hesse' })
    expect(reads).toEqual(['ipv4', 'ipv6'])
  })
})

describe('a dataset file that cannot be read', () => {
  it('is tried once, then knows no place, rather than read again for each address', () => {
    let reads = 0
    const placeOf = createLocationLookup({
      ipv4: () => {
        reads++
        throw new Error('ENOENT')
      },
      ipv6: () => readFileSync(resolve(citySet.ipv6)),
    })
    expect(placeOf('193.99.144.80')).toBeUndefined()
    expect(placeOf('81.2.69.160')).toBeUndefined()
    expect(reads).toBe(1)
    expect(placeOf('2003::1')).toMatchObject({ country: 'DE' })
  })
})

describe('the installed dataset', () => {
  it('is the city set when it is installed, as it is in this workspace', () => {
    expect(installedLocationLookup()('8.8.8.8')).toEqual({
      country: 'US',
      region: 'California',
      city: 'Mountain View',
    })
  })

  it('is the first one installed, and none knows no place', () => {
    const none = '@ip-location-db/no-such-dataset/none.mmdb'
    expect(findLocationLookup([none])('193.99.144.80')).toBeUndefined()
    expect(findLocationLookup([{ ipv4: none, ipv6: citySet.ipv6 }, countryDatasets[0]!])('193.99.144.80')).toEqual({
      country: 'DE',
    })
  })
})
