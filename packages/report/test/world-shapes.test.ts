import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { worldShapesSource } from '../../../scripts/world-shapes.js'
import { worldShapes, worldSize } from '../src/charts/world-shapes.js'

describe('the map’s country shapes', () => {
  it('are what scripts/world-shapes.ts makes of the installed world-atlas', async () => {
    const file = await readFile(new URL('../src/charts/world-shapes.ts', import.meta.url), 'utf8')
    expect(file).toBe(worldShapesSource())
  })

  it('hold every country by its ISO code, Kosovo as the location datasets write it, and no Antarctica', () => {
    expect(Object.keys(worldShapes).length).toBeGreaterThan(170)
    // French Guiana and Svalbard apart from France and Norway, as the location datasets code them.
    for (const code of ['DE', 'US', 'RU', 'FJ', 'XK', 'BR', 'AU', 'FR', 'GF', 'NO', 'SJ']) {
      expect(worldShapes[code], code).toMatch(/^M\d+ \d+l/)
    }
    expect(worldShapes.AQ).toBeUndefined()
    expect(Object.keys(worldShapes).every((code) => /^[A-Z]{2}$/.test(code))).toBe(true)
  })

  it('never cross the whole map: a ring over the 180th meridian stays on one side', () => {
    for (const [code, path] of Object.entries(worldShapes)) {
      for (const ring of path.split('z').filter(Boolean)) {
        const [start, moves = ''] = ring.split('l')
        const numbers = moves.trim().split(/\s+/).map(Number)
        const widest = Math.max(...numbers.filter((_, i) => i % 2 === 0).map(Math.abs))
        expect(widest, `${code} ${start}`).toBeLessThan(worldSize.width / 4)
      }
    }
  })
})
