import Bowser from 'bowser'
import { createBoundedMemory } from './bounded-memory.js'

/** What a user agent string says of the browser, its OS and the kind of device, Segment-style. */
export interface UserAgentFacts {
  /** `{name: 'Chrome', version: '143'}`: the major version only. */
  browser?: { name: string; version?: string }
  /** `{name: 'iOS', version: '17.4'}`. */
  os?: { name: string; version?: string }
  deviceType?: 'mobile' | 'tablet' | 'desktop'
}

const deviceTypes = new Set(['mobile', 'tablet', 'desktop'])
// A longer string is not a browser's agent; parsing it would only cost time.
const maxAgent = 1024
// Few distinct agents reach a collector (one per browser release, OS version and device model): 1 MB holds thousands.
const memoryBytes = 1 << 20

function parse(userAgent: string): UserAgentFacts {
  const { browser, os, platform } = Bowser.parse(userAgent)
  const facts: UserAgentFacts = {}
  if (browser.name) {
    const major = browser.version?.split('.')[0]
    facts.browser = major ? { name: browser.name, version: major } : { name: browser.name }
  }
  if (os.name) facts.os = os.version ? { name: os.name, version: os.version } : { name: os.name }
  // Bowser also knows 'tv' and 'bot': neither is one of the three classes the reports count.
  if (platform.type && deviceTypes.has(platform.type)) facts.deviceType = platform.type as UserAgentFacts['deviceType']
  return facts
}

/**
 * A user agent parser (bowser) that remembers its answers per agent string in a bounded LRU, so a collector parses
 * each browser release once, not each event.
 *
 * @param budget the most bytes remembered (default 1 MB)
 */
export function createUserAgentFacts(budget = memoryBytes): (userAgent: string | undefined) => UserAgentFacts {
  const memory = createBoundedMemory<UserAgentFacts>(budget)
  return (userAgent) => {
    if (!userAgent || userAgent.length > maxAgent) return {}
    const known = memory.get(userAgent)
    if (known) return known
    const facts = parse(userAgent)
    // The facts are a few short strings: a fixed estimate beside the key, which the memory counts itself.
    memory.set(userAgent, facts, 128)
    return facts
  }
}

/** One memory of parsed agents for the process: the same browsers visit every site and every app. */
export const sharedUserAgentFacts = createUserAgentFacts()
