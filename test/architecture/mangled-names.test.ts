import { describe, expect, it } from 'vitest'
import { contractNames } from '../../packages/snippet/mangled-names.mjs'
import { mangleCollisions } from './mangle-collisions.js'

describe('the plain names the script tags shorten', () => {
  it('are properties of the SDK contracts only, nowhere else in the tags', async () => {
    expect(await mangleCollisions(contractNames)).toEqual([])
  }, 60_000)

  it('would be refused where the DOM, a builtin, a wire key or a bundled package has the same name', async () => {
    // `status` (Response), `signal` (addEventListener's options), `get` (Map, Headers), `redact` (the tag's
    // `data-redact`), `properties` (the envelope's wire key), `value` (web-vitals' metrics): each is in the tags.
    const names = ['status', 'signal', 'get', 'redact', 'properties', 'value']
    const found = await mangleCollisions(names)
    for (const name of names) expect(found.some((line) => line.includes(` ${name}: `))).toBe(true)
  }, 60_000)
})
