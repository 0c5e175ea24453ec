import { BlockList, isIP } from 'node:net'
import { ConfigError, type SpoorConfig } from '@spoor/protocol'
import { type Classification, classifications } from './classification.js'

/** A range of client addresses the operator knows to be machines, and which kind. */
export interface MachineRange {
  /** Shown in the evidence of each open or click from the range. */
  name: string
  /** `192.0.2.0/24`, `2001:db8::/32`. */
  cidr: string
  classification: Exclude<Classification, 'human'>
}

/**
 * The config's `email` section: `{"email": {"signingKeys": ["…"], "machineRanges": [{"name", "cidr",
 * "classification"}], "unsignedOpenCampaigns": ["…"]}}`. No address range ships with spoor: the published ones
 * change, and the collector cannot fetch them at run time; list the ones you can vouch for.
 */
export interface EmailConfig {
  /** Keys for click links and open pixels: the first signs new ones, every one is accepted (rotation). */
  signingKeys: string[]
  machineRanges: MachineRange[]
  /**
   * Campaigns sent before open pixels were signed, whose unsigned pixels still count; an unsigned pixel of any other
   * campaign is not recorded, since anyone can make one. Default: none.
   */
  unsignedOpenCampaigns: string[]
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const example = '{"email": {"signingKeys": ["<run: spoor email key>"]}}'

/** Reads and checks the config's `email` section (absent: no keys, no ranges); throws {@link ConfigError}. */
export function readEmailConfig(config: SpoorConfig, source = 'config'): EmailConfig {
  const fail = (message: string): never => {
    throw new ConfigError(`${source}: email.${message}`)
  }
  const section = config.email
  if (section === undefined) return { signingKeys: [], machineRanges: [], unsignedOpenCampaigns: [] }
  if (!isObject(section)) return fail(`must be an object like ${example}`)
  const keys = section.signingKeys ?? []
  if (!Array.isArray(keys)) return fail(`signingKeys must be a list of keys like ${example}`)
  keys.forEach((key, i) => {
    // 32 characters: a key made by `spoor email key` has 43 (256 bits); anything shorter is guessable sooner.
    if (typeof key !== 'string' || key.length < 32)
      fail(`signingKeys[${i}] must be a string of 32 characters or more (spoor email key makes one)`)
  })
  if (new Set(keys).size !== keys.length) fail('signingKeys lists a key twice')
  const ranges = section.machineRanges ?? []
  if (!Array.isArray(ranges)) return fail('machineRanges must be a list of {"name", "cidr", "classification"}')
  const machineRanges = ranges.map((range, i): MachineRange => {
    const at = `machineRanges[${i}]`
    if (!isObject(range) || typeof range.name !== 'string' || !range.name) return fail(`${at} needs a "name"`)
    if (typeof range.cidr !== 'string' || !parseCidr(range.cidr))
      return fail(`${at}.cidr "${String(range.cidr)}" is not an address range like 192.0.2.0/24 or 2001:db8::/32`)
    const machine: string[] = classifications.filter((c) => c !== 'human')
    if (typeof range.classification !== 'string' || !machine.includes(range.classification))
      return fail(`${at}.classification must be one of ${machine.join(', ')}`)
    return {
      name: range.name,
      cidr: range.cidr,
      classification: range.classification as MachineRange['classification'],
    }
  })
  const unsigned = section.unsignedOpenCampaigns ?? []
  if (!Array.isArray(unsigned) || unsigned.some((id) => typeof id !== 'string' || !id))
    return fail('unsignedOpenCampaigns must be a list of campaign ids like ["spring-sale"]')
  return { signingKeys: keys as string[], machineRanges, unsignedOpenCampaigns: unsigned as string[] }
}

function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, extra] = cidr.split('/')
  const version = isIP(address)
  if (!version || extra !== undefined || !/^\d{1,3}$/.test(prefixText ?? '')) return undefined
  const prefix = Number(prefixText)
  if (prefix > (version === 4 ? 32 : 128)) return undefined
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' }
}

/** Finds which configured range, if any, an address is in. */
export type RangeLookup = (ip: string | undefined) => MachineRange | undefined

/** Builds the lookup for the configured machine ranges (IPv4-mapped IPv6 addresses are read as IPv4). */
export function createRangeLookup(ranges: readonly MachineRange[]): RangeLookup {
  const lists = ranges.map((range) => {
    const { address, prefix, family } = parseCidr(range.cidr)!
    const list = new BlockList()
    list.addSubnet(address, prefix, family)
    return { range, list }
  })
  return (ip) => {
    if (!ip || lists.length === 0) return undefined
    const plain = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip
    const family = isIP(plain) === 4 ? 'ipv4' : isIP(plain) === 6 ? 'ipv6' : undefined
    if (!family) return undefined
    return lists.find(({ list }) => list.check(plain, family))?.range
  }
}
