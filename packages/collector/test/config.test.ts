import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ConfigError } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/helpers.js'
import { closest } from '../src/did-you-mean.js'
import { loadConfig, parseConfig } from '../src/index.js'
import { findJsonError } from '../src/json-error.js'

const site = { writeKey: 'shop-key', origins: ['https://shop.example'] }
const problem = (raw: unknown) => {
  try {
    parseConfig(raw, 'spoor.config.json')
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('the config was accepted')
}

describe('the config file', () => {
  it('refuses a misspelt key anywhere, naming the closest known one', () => {
    expect(problem({ sites: [site], dashbaord: { token: 'x'.repeat(24) } })).toBe(
      'spoor.config.json: unknown key "dashbaord" (did you mean "dashboard"?); known: sites, privacy, email, dashboard, metrics',
    )
    expect(problem({ sites: [{ writeKey: 'shop-key', orgins: ['https://shop.example'] }] })).toBe(
      'spoor.config.json: sites[0]: unknown key "orgins" (did you mean "origins"?); known: writeKey, origins, name, gpc, visitorHash, pixelOrigins, redact, goals, funnels, segments',
    )
    expect(problem({ sites: [{ ...site, visitorhash: true }] })).toMatch(
      /sites\[0\]: unknown key "visitorhash" \(did you mean "visitorHash"\?\)/,
    )
    expect(problem({ sites: [site], email: { signingKey: ['k'] } })).toMatch(
      /email: unknown key "signingKey" \(did you mean "signingKeys"\?\)/,
    )
    expect(problem({ sites: [site], privacy: { ipv4MaskByte: 2 } })).toMatch(
      /privacy: unknown key "ipv4MaskByte" \(did you mean "ipv4MaskBytes"\?\)/,
    )
    // Nothing close: no guess.
    expect(problem({ sites: [site], kafka: {} })).toBe(
      'spoor.config.json: unknown key "kafka"; known: sites, privacy, email, dashboard, metrics',
    )
  })

  it('takes a site without origins as a server-only site', () => {
    expect(parseConfig({ sites: [{ writeKey: 'server-key' }] }).sites[0]!.origins).toEqual([])
  })

  it('says how to write an origin the browser would send', () => {
    expect(problem({ sites: [{ writeKey: 'kkk', origins: ['https://shop.example/'] }] })).toMatch(
      /"https:\/\/shop.example\/" is not an origin: write "https:\/\/shop.example"/,
    )
    expect(problem({ sites: [{ writeKey: 'kkk', origins: ['https://Shop.Example:443'] }] })).toMatch(
      /write "https:\/\/shop.example"/,
    )
    expect(problem({ sites: [{ writeKey: 'kkk', origins: ['shop.example'] }] })).toMatch(
      /"shop.example" is not an origin like "https:\/\/shop.example"/,
    )
  })

  it('shows what a config needs when it has no sites', () => {
    expect(problem({ email: { signingKeys: [] } })).toBe(
      'spoor.config.json: no "sites": name the sites that send events, like {"sites": [{"writeKey": "my-site-key", "origins": ["https://shop.example"]}]}',
    )
  })

  it('points at the line and column of a JSON mistake', async () => {
    const path = join(await tempDir(), 'spoor.config.json')
    await writeFile(path, '{\n  "sites": [\n    {"writeKey": "shop-key"},\n  ]\n}\n')
    await expect(loadConfig(path)).rejects.toThrow(
      `${path}:4:3: not valid JSON: a comma before "]": JSON allows no trailing comma`,
    )
    await writeFile(path, '\ufeff{"sites": [{"writeKey": "shop-key"}]}')
    expect((await loadConfig(path)).sites).toHaveLength(1)
    await expect(loadConfig(path + '.missing')).rejects.toThrow(`config file ${path}.missing does not exist`)
  })
})

describe('findJsonError', () => {
  it.each([
    ['{"a": 1,}', 1, 9, 'a comma before "}": JSON allows no trailing comma'],
    ['{"a": 1\n "b": 2}', 2, 2, 'expected "," or "}" after a property, found """'],
    ['{\n  // note\n  "a": 1}', 2, 3, 'JSON has no comments'],
    ["{'a': 1}", 1, 2, 'expected a property name in double quotes, found "\'"'],
    ['{"a": \'x\'}', 1, 7, 'strings take double quotes in JSON, not single ones'],
    ['{"a": "x\n"}', 1, 9, 'a string runs past the end of its line (missing closing ")'],
    ['{"a": tru}', 1, 7, 'expected a value, found "t"'],
    ['{"a": [1, 2}', 1, 12, 'expected "," or "]" after a list item, found "}"'],
    ['{"a": 1', 1, 8, 'expected "," or "}" after a property, found the end of the file'],
    ['{"a": 1} x', 1, 10, '"x" after the end of the JSON value'],
    ['{"a": "\\x"}', 1, 8, '"\\x" is not an escape JSON knows (use \\\\ for a backslash)'],
  ])('%j', (text, line, column, message) => {
    expect(() => JSON.parse(text)).toThrow()
    expect(findJsonError(text)).toEqual({ line, column, message })
  })

  it('finds nothing wrong in valid JSON', () => {
    for (const text of ['{}', ' [1, -2.5e3, "a\\u00e9\\n", true, false, null, {"b": []}] ', '"x"', '0'])
      expect(findJsonError(text)).toBeUndefined()
  })
})

describe('closest', () => {
  it('finds a neighbour two edits or a swap away, and nothing further', () => {
    expect(closest('dashbaord', ['sites', 'dashboard'])).toBe('dashboard')
    expect(closest('--prot', ['--port', '--host'])).toBe('--port')
    expect(closest('serv', ['serve', 'email'])).toBe('serve')
    expect(closest('Sites', ['sites'])).toBe('sites')
    expect(closest('zzz', ['sites', 'email'])).toBeUndefined()
  })
})
