import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { createCountryLookup } from '../src/derive/country-lookup.js'
import { countryDatasets, findCountryLookup, installedCountryLookup } from '../src/derive/installed-country-lookup.js'

const dataset = createRequire(import.meta.url).resolve(countryDatasets[0]!)

describe('the country of an address', () => {
  const countryOf = createCountryLookup(readFileSync(dataset))

  it('is the ISO code of an IPv4 address’s country, also in the IPv4-mapped form Node reports', () => {
    expect(countryOf('193.99.144.80')).toBe('DE')
    expect(countryOf('81.2.69.160')).toBe('GB')
    expect(countryOf('::ffff:193.99.144.80')).toBe('DE')
  })

  it('is the ISO code of an IPv6 address’s country', () => {
    expect(countryOf('2003::1')).toBe('DE')
    expect(countryOf('2a02:2e0:3fe:1001::1')).toBe('DE')
  })

  it('is unknown for private, loopback, documentation and malformed addresses, and for none', () => {
    for (const ip of ['10.0.0.1', '192.168.1.1', '127.0.0.1', '::1', 'fd00::1', '2001:db8::1', 'not-an-ip', '']) {
      expect(countryOf(ip), ip).toBeUndefined()
    }
    expect(countryOf(undefined)).toBeUndefined()
  })

  it('answers alike for an address asked twice in a row, and for one asked again after another', () => {
    expect([
      countryOf('81.2.69.160'),
      countryOf('81.2.69.160'),
      countryOf('10.0.0.1'),
      countryOf('81.2.69.160'),
    ]).toEqual(['GB', 'GB', undefined, 'GB'])
  })

  it('comes from the installed dataset when none is given', () => {
    expect(installedCountryLookup()('193.99.144.80')).toBe('DE')
  })

  it('is unknown for every address when no dataset is installed', () => {
    const none = findCountryLookup(['@ip-location-db/no-such-dataset/none.mmdb'])
    expect(none('193.99.144.80')).toBeUndefined()
    expect(findCountryLookup(['@ip-location-db/no-such-dataset/none.mmdb', countryDatasets[0]!])('193.99.144.80')).toBe(
      'DE',
    )
  })
})
