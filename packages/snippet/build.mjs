// Bundles the script-tag build: one minified IIFE, private `_` properties shortened.
import { build } from 'esbuild'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

/** Builds `dist/spoor.js`; returns its path. */
export async function buildSnippet() {
  const outfile = join(here, 'dist', 'spoor.js')
  mkdirSync(dirname(outfile), { recursive: true })
  await build({
    entryPoints: [join(here, 'src', 'snippet.ts')],
    outfile,
    bundle: true,
    format: 'iife',
    minify: true,
    mangleProps: /^_/,
    target: 'es2020',
    conditions: ['source'],
    legalComments: 'none',
    logLevel: 'warning',
  })
  return outfile
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildSnippet()
