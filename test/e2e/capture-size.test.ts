import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { buildApp } from '../../examples/npm-app/build.mjs'
import { builds, sizeOf } from '../../packages/snippet/build.mjs'

const dist = fileURLToPath(new URL('../../packages/snippet/dist/', import.meta.url))

// The issue's budgets, in brotli bytes (1 KB = 1,000 bytes, as in the peers' figures).
const budget = { core: 3_500, oneTag: 8_000 }
// What the builds weigh today, plus a little: a size test fails on any growth beyond it. The budgets above are not
// met yet (see README "Size"); these ceilings keep the gap from growing while it is closed.
const ceiling: Record<string, number> = { 'spoor.js': 4_350, 'spoor.full.js': 9_150, 'spoor-nps.js': 800 }

describe('the size of what sites load (built by the test setup)', () => {
  const sizes = Object.fromEntries(builds.map(({ file }) => [file, sizeOf(dist + file)]))

  it('prints each build with its raw, gzip and brotli bytes', () => {
    console.table(sizes)
    console.log(`budgets: core ${budget.core}, everything from one tag ${budget.oneTag} (brotli)`)
    expect(Object.keys(sizes)).toEqual(['spoor.js', 'spoor.full.js', 'spoor-nps.js'])
  })

  it.each(Object.keys(ceiling))('%s stays under its ceiling', (file) => {
    expect(sizes[file]!.brotli).toBeLessThanOrEqual(ceiling[file]!)
  })

  it('keeps the core far below every peer with a queue (Snowplow lite 16,783, Segment 27,445 brotli)', () => {
    expect(sizes['spoor.js']!.brotli * 3).toBeLessThan(16_783)
    expect(sizes['spoor.full.js']!.brotli + sizes['spoor-nps.js']!.brotli).toBeLessThan(16_783)
  })
})

describe('examples/npm-app', () => {
  it('bundles with esbuild, with the full build’s features, to about the size of the full snippet', async () => {
    // To a file of its own: capture-npm-app.test.ts serves public/app.js meanwhile.
    const app = await buildApp({ conditions: ['source'], outfile: join(await mkdtemp(join(tmpdir(), 'spoor-app-')), 'app.js') })
    console.log('examples/npm-app bundle', app)
    expect(app.brotli).toBeGreaterThan(0)
    expect(app.brotli).toBeLessThan(10_000)
  })
})
