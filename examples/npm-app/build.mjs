// Bundles src/main.ts with esbuild, as an app's own build would, and prints the bundle's raw, gzip and brotli bytes.

import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))

/**
 * Builds `public/app.js` (or `outfile`); `conditions: ['source']` bundles the SDK's TypeScript sources (no build of
 * it needed), otherwise its published `dist/`. Resolves to the bundle's sizes.
 */
export async function buildApp({ conditions = [], outfile = join(here, 'public', 'app.js') } = {}) {
  await build({
    entryPoints: [join(here, 'src', 'main.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2020',
    conditions,
    logLevel: 'warning',
  })
  const code = readFileSync(outfile)
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length, brotli: brotliCompressSync(code).length }
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  console.log('app.js', JSON.stringify(await buildApp({ conditions: process.argv.slice(2) })))
