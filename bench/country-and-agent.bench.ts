// What looking up the place and parsing the agent cost per event, in this process: the lookup of distinct public
// addresses (a cold request each) in the country set and in the city set, the agent parse uncached and cached, and
// enrichLine on a request's events with and without both (the city set's place), alternating rounds. Figures are
// microseconds of CPU on this machine.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { EventLine } from '@spoor/protocol'
import { countryDatasets, locationDatasets } from '../packages/collector/src/derive/installed-location-lookup.js'
import { createLocationLookup, type LocationLookup } from '../packages/collector/src/derive/location-lookup.js'
import { createUserAgentFacts } from '../packages/collector/src/derive/user-agent-facts.js'
import { enrichLine } from '../packages/collector/src/steps/enrich-line.js'

const agents = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 Mobile Safari/537.36',
]
// Deterministic public-looking IPv4 addresses (first byte 1..223, not 10, 127, 172, 192).
const addresses = Array.from({ length: 100_000 }, (_, i) => {
  const x = Math.imul(i + 1, 2654435761) >>> 0
  const first = [1, 5, 31, 46, 62, 77, 81, 88, 91, 93, 109, 151, 176, 185, 193, 212][x & 15]!
  return `${first}.${(x >>> 8) & 255}.${(x >>> 16) & 255}.${(x >>> 24) | 1}`
})

const microseconds = (start: bigint, count: number) => Number(process.hrtime.bigint() - start) / 1000 / count

const resolve = createRequire(import.meta.url).resolve
const citySet = locationDatasets[0] as { ipv4: string; ipv6: string }

/** Opens a dataset (its IPv4 file, for the city set) and looks every address up once, after a warm-up. */
function measure(file: string): {
  lookup: LocationLookup
  mb: number
  openUs: number
  lookupUs: number
  found: number
} {
  const mmdb = readFileSync(resolve(file))
  let start = process.hrtime.bigint()
  const lookup = createLocationLookup(mmdb)
  lookup('193.99.144.80') // the reader is made on the first address
  const openUs = Number(process.hrtime.bigint() - start) / 1000
  let found = 0
  for (const ip of addresses.slice(0, 10_000)) if (lookup(ip)) found++
  start = process.hrtime.bigint()
  for (const ip of addresses) if (lookup(ip)) found++
  return { lookup, mb: mmdb.length / 1e6, openUs, lookupUs: microseconds(start, addresses.length), found }
}
const country = measure(countryDatasets[0]!)
const city = measure(citySet.ipv4)
const placeOf = city.lookup
let t: bigint

const cold = createUserAgentFacts()
t = process.hrtime.bigint()
for (let i = 0; i < 20_000; i++) cold(`${agents[i % agents.length]} x/${i}`)
const parseUs = microseconds(t, 20_000)
const warm = createUserAgentFacts()
t = process.hrtime.bigint()
for (let i = 0; i < 1_000_000; i++) warm(agents[i % agents.length])
const cachedUs = microseconds(t, 1_000_000)

// A request of `perRequest` page events from one visitor; the line as the line maker leaves it.
const perRequest = 10
const line = (ua: string): EventLine => ({
  messageId: 'm',
  type: 'page',
  event: null,
  name: null,
  category: null,
  userId: null,
  anonymousId: 'a',
  groupId: null,
  previousId: null,
  properties: {},
  traits: {},
  context: { userAgent: ua, ip: '193.99.0.0', page: { path: '/' }, screen: { width: 390, height: 844, density: 3 } },
  originalTimestamp: null,
  sentAt: null,
  receivedAt: '2026-12-04T10:00:00.000Z',
  timestamp: '2026-12-04T10:00:00.000Z',
  writeKey: 'k',
})
const site = { gpc: 'minimize', visitorHash: false } as const
const requests = 20_000
function round(withFacts: boolean): number {
  const start = process.hrtime.bigint()
  for (let r = 0; r < requests; r++) {
    const input = {
      site,
      rawIp: addresses[r % addresses.length],
      requestUserAgent: undefined,
      gpc: false,
      ...(withFacts ? { placeOf, userAgentFacts: warm } : { placeOf: () => undefined, userAgentFacts: () => ({}) }),
    }
    for (let e = 0; e < perRequest; e++) enrichLine(line(agents[r % agents.length]!), input)
  }
  return microseconds(start, requests * perRequest)
}
const withUs: number[] = []
const withoutUs: number[] = []
for (let i = 0; i < 6; i++) {
  withoutUs.push(round(false))
  withUs.push(round(true))
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

console.log(`| measure | µs |`)
console.log(`|---|---|`)
for (const [name, set] of [
  ['country set', country],
  ['city set (IPv4 file)', city],
] as const) {
  console.log(`| open the ${name} (${set.mb.toFixed(1)} MB, once) | ${set.openUs.toFixed(0)} |`)
  const found = `${set.found} of ${addresses.length + 10_000} found`
  console.log(`| lookup in the ${name}, a new address each (${found}) | ${set.lookupUs.toFixed(2)} |`)
}
console.log(`| agent parse, uncached (bowser) | ${parseUs.toFixed(2)} |`)
console.log(`| agent facts, cached | ${cachedUs.toFixed(3)} |`)
console.log(
  `| enrichLine per event, ${perRequest} events a request, without place and agent facts | ${median(withoutUs).toFixed(3)} |`,
)
console.log(`| enrichLine per event, ${perRequest} events a request, with them | ${median(withUs).toFixed(3)} |`)
console.log(`| added per event | ${(median(withUs) - median(withoutUs)).toFixed(3)} |`)
