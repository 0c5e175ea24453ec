import { readFile } from 'node:fs/promises'

/** One site: its write key and the page origins allowed to send with it. */
export interface SiteConfig {
  writeKey: string
  /** Origins such as `https://shop.example`; `*` allows any (server-side senders need none). */
  origins: string[]
  /** A name for reports; the write key when absent. */
  name?: string
  /** Per-site settings of other features, each read and checked by the feature that owns it. */
  [setting: string]: unknown
}

/**
 * The collector's config file: `{"sites": [{"writeKey": "…", "origins": ["https://shop.example"]}]}`. Features
 * add sections of their own (read and checked where the feature lives); unknown sections pass through untouched.
 */
export interface SpoorConfig {
  sites: SiteConfig[]
  [section: string]: unknown
}

/** A config that cannot be used, with a message that says what to fix. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Checks a parsed config and returns it typed; throws {@link ConfigError} naming the first problem. */
export function parseConfig(raw: unknown, source = 'config'): SpoorConfig {
  const fail = (message: string): never => {
    throw new ConfigError(`${source}: ${message}`)
  }
  if (!isObject(raw) || !Array.isArray(raw.sites)) fail('expected {"sites": [{"writeKey": "…", "origins": ["https://…"]}]}')
  const sites = (raw as { sites: unknown[] }).sites
  if (sites.length === 0) fail('"sites" is empty: add at least one site')
  const seen = new Set<string>()
  const parsed = sites.map((site, i): SiteConfig => {
    if (!isObject(site)) return fail(`sites[${i}] must be an object`)
    const { writeKey, origins, name } = site
    if (typeof writeKey !== 'string' || writeKey.length < 3) fail(`sites[${i}].writeKey must be a string of 3 or more characters`)
    if (seen.has(writeKey as string)) fail(`sites[${i}].writeKey "${writeKey}" appears twice`)
    seen.add(writeKey as string)
    if (!Array.isArray(origins) || !origins.every((o) => typeof o === 'string')) {
      fail(`sites[${i}].origins must be a list of origins like "https://shop.example" (or "*")`)
    }
    for (const origin of origins as string[]) {
      if (origin !== '*' && !/^https?:\/\/[^/]+$/.test(origin)) {
        fail(`sites[${i}].origins: "${origin}" is not an origin (scheme and host, no path or trailing slash)`)
      }
    }
    if (name !== undefined && typeof name !== 'string') fail(`sites[${i}].name must be a string`)
    return { ...site, writeKey: writeKey as string, origins: origins as string[] }
  })
  return { ...(raw as object), sites: parsed }
}

/** Reads and checks a config file. */
export async function loadConfig(path: string): Promise<SpoorConfig> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new ConfigError(`cannot read config ${path}: ${(error as Error).message}`)
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON: ${(error as Error).message}`)
  }
  return parseConfig(raw, path)
}
