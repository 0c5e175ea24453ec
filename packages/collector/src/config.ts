import { readFile } from 'node:fs/promises'
import { ConfigError, type SiteConfig, type SpoorConfig } from '@spoor/protocol'
import { closest, didYouMean } from './did-you-mean.js'
import { findJsonError } from './json-error.js'

export { ConfigError, type SiteConfig, type SpoorConfig }

/**
 * Every key the config knows, by where it sits. A misspelt key would otherwise be ignored without a word (a
 * "dashbaord" section is a dashboard left off), so any other key is refused; a feature that reads a new key adds
 * it here.
 */
export const knownKeys = {
  config: ['sites', 'privacy', 'email', 'dashboard', 'metrics'],
  site: ['writeKey', 'origins', 'name', 'gpc', 'visitorHash', 'pixelOrigins', 'redact', 'goals', 'funnels', 'segments'],
  privacy: ['ipv4MaskBytes', 'ipv6PrefixBits'],
  email: ['signingKeys', 'machineRanges', 'unsignedOpenCampaigns'],
  dashboard: ['token', 'shares'],
  metrics: ['token'],
} as const

const example = '{"sites": [{"writeKey": "my-site-key", "origins": ["https://shop.example"]}]}'

// Where each parsed config was read from, for messages that tell an operator which file to edit.
const sources = new WeakMap<SpoorConfig, string>()

/** The file a config was loaded from ("the config" when it was built in code). */
export const configSource = (config: SpoorConfig): string => sources.get(config) ?? 'the config'

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Refuses the first key of `object` that is not among `known`, naming the closest known one. */
function checkKeys(
  object: Record<string, unknown>,
  known: readonly string[],
  at: string,
  fail: (message: string) => never,
) {
  for (const key of Object.keys(object)) {
    if (!known.includes(key))
      fail(`${at}unknown key "${key}"${didYouMean(closest(key, known))}; known: ${known.join(', ')}`)
  }
}

/** The origin a browser would send for `origin`, or undefined when it is not a web origin at all. */
function browserOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined
  } catch {
    return undefined
  }
}

/** Checks a parsed config and returns it typed; throws {@link ConfigError} naming the first problem. */
export function parseConfig(raw: unknown, source?: string): SpoorConfig {
  const fail = (message: string): never => {
    throw new ConfigError(`${source ?? 'config'}: ${message}`)
  }
  if (!isObject(raw)) return fail(`expected an object like ${example}`)
  checkKeys(raw, knownKeys.config, '', fail)
  if (raw.sites === undefined) fail(`no "sites": name the sites that send events, like ${example}`)
  if (!Array.isArray(raw.sites)) fail(`"sites" must be a list, like ${example}`)
  const sites = raw.sites as unknown[]
  if (sites.length === 0) fail('"sites" is empty: add at least one site')
  for (const section of ['privacy', 'email', 'dashboard', 'metrics'] as const) {
    const value = raw[section]
    if (isObject(value)) checkKeys(value, knownKeys[section], `${section}: `, fail)
  }
  const seen = new Set<string>()
  const parsed = sites.map((site, i): SiteConfig => {
    if (!isObject(site))
      return fail(`sites[${i}] must be an object like {"writeKey": "my-site-key", "origins": ["https://shop.example"]}`)
    checkKeys(site, knownKeys.site, `sites[${i}]: `, fail)
    const { writeKey, origins = [], name } = site
    if (typeof writeKey !== 'string' || writeKey.length < 3)
      fail(`sites[${i}].writeKey must be a string of 3 or more characters`)
    if (seen.has(writeKey as string)) fail(`sites[${i}].writeKey "${writeKey}" appears twice`)
    seen.add(writeKey as string)
    if (!Array.isArray(origins) || !origins.every((o) => typeof o === 'string')) {
      fail(
        `sites[${i}].origins must be a list of origins like ["https://shop.example"] ("*" for any; [] or none for servers only)`,
      )
    }
    for (const origin of origins as string[]) {
      if (origin === '*') continue
      // Browsers send the origin in this exact form (lower-case host, no default port, no path): anything else
      // would never match.
      const exact = browserOrigin(origin)
      if (exact !== origin) {
        fail(
          `sites[${i}].origins: "${origin}" is not an origin${exact ? `: write "${exact}"` : ' like "https://shop.example"'} (scheme and host, no path or trailing slash)`,
        )
      }
    }
    if (name !== undefined && typeof name !== 'string') fail(`sites[${i}].name must be a string`)
    return { ...site, writeKey: writeKey as string, origins: origins as string[] }
  })
  const config = { ...raw, sites: parsed }
  if (source) sources.set(config, source)
  return config
}

/** Reads and checks a config file. */
export async function loadConfig(path: string): Promise<SpoorConfig> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException
    throw new ConfigError(
      code === 'ENOENT' ? `config file ${path} does not exist` : `cannot read config ${path}: ${message}`,
    )
  }
  // Editors on Windows may start the file with a byte-order mark, which JSON.parse refuses.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    const at = findJsonError(text)
    throw new ConfigError(
      at
        ? `${path}:${at.line}:${at.column}: not valid JSON: ${at.message}`
        : `${path} is not valid JSON: ${(error as Error).message}`,
    )
  }
  return parseConfig(raw, path)
}
