// Bundles the script-tag builds: minified IIFEs, private `_` properties and the contracts' members shortened, from
// the same sources with a compile-time FULL flag. Prints each file's raw, gzip and brotli bytes.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { minify } from 'terser'
import { snippetIsFresh, writeStamp } from './build-stamp.mjs'
import { mangleProps } from './mangled-names.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const dist = join(here, 'dist')

/** The files of `dist/`: the core tag, the full tag, and the NPS prompt that the full tag loads when needed. */
export const builds = [
  { file: 'spoor.js', entry: 'snippet.ts', full: false },
  { file: 'spoor.full.js', entry: 'snippet.ts', full: true },
  { file: 'spoor-nps.js', entry: 'nps-chunk.ts', full: true },
]

/** Raw, gzip (level 9) and brotli (quality 11, as the collector serves it) bytes of a file. */
export function sizeOf(path) {
  const source = readFileSync(path)
  return { raw: source.length, gzip: gzipSync(source, { level: 9 }).length, brotli: brotliCompressSync(source).length }
}

/**
 * web-vitals from its ES modules rather than its published bundle, so that its private properties are shortened
 * with ours and two of its parts can be replaced by what they amount to for the snippet's single call of each `on*`:
 * its soft-navigation check (the snippet never sets `reportSoftNavs`), compiled to `false` so the code behind it
 * falls out; and `initUnique`, which shares a metric's helper object between calls given the same options object
 * (the attribution build's wrappers do that), reduced to making one.
 */
const webVitalsAsUsed = {
  name: 'web-vitals-as-used',
  setup(build) {
    // Where the importing file would find the package's modules (one of them is exported by name).
    build.onResolve({ filter: /^web-vitals$/ }, async ({ kind, resolveDir }) => {
      const onCLS = await build.resolve('web-vitals/onCLS.js', { kind, resolveDir })
      return { path: join(dirname(onCLS.path), 'index.js') }
    })
    // Each replacement stands for the module as this pinned version of web-vitals has it: a change there stops the
    // build rather than silently replacing something else.
    const replace = (file, expected, contents) =>
      build.onLoad(
        { filter: new RegExp(`[\\\\/]web-vitals[\\\\/]dist[\\\\/]modules[\\\\/]lib[\\\\/]${file}\\.js$`) },
        ({ path }) => {
          if (!readFileSync(path, 'utf8').includes(expected))
            throw new Error(`web-vitals' ${file}.js changed: review its replacement in build.mjs`)
          return { contents }
        },
      )
    replace(
      'softNavs',
      'opts.reportSoftNavs',
      'export const checkSoftNavsEnabled = () => false, storeSoftNavEntry = () => {}',
    )
    replace(
      'initUnique',
      'export function initUnique(identityObj, ClassObj)',
      'export const initUnique = (options, Helper) => new Helper()',
    )
  },
}

/**
 * The short names each build gives the properties it shortens, pinned. esbuild picks them by how often each letter
 * appears in everything it reads, so code the tags never run moved them: an unrelated export added to
 * @spoor/protocol, whose index the SDK imports three functions from, made spoor.js 6 brotli bytes larger with the
 * same code. A property new to the SDK gets a name from esbuild as before, one not pinned here.
 */
const mangleCache = JSON.parse(readFileSync(join(here, 'mangle-cache.json'), 'utf8'))

/** The esbuild options of one build (everything but where its code goes). */
export const esbuildOptions = (entry, full) => ({
  // A copy: esbuild adds the names it gives to the object it is passed.
  mangleCache: { ...mangleCache[builds.find((b) => b.entry === entry && b.full === full)?.file ?? ''] },
  entryPoints: [join(here, 'src', entry)],
  bundle: true,
  format: 'iife',
  minify: true,
  mangleProps,
  target: 'es2022',
  conditions: ['source'],
  define: { FULL: String(full), SPOOR_SNIPPET: 'true' },
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [webVitalsAsUsed],
})

/**
 * A second pass by terser: its compressor finds what esbuild's leaves (about 6% of the brotli bytes). The unsafe
 * transforms assume what this code never does (getters with side effects, prototype tricks); the browser tests run
 * against their output. Not `unsafe_comps`: it reverses comparisons as if no operand were ever NaN, which turned
 * an unreadable `Retry-After` into a retry without delay.
 */
export const compress = async (code) =>
  (
    await minify(code, {
      ecma: 2022,
      toplevel: true,
      compress: {
        passes: 5,
        inline: 3,
        pure_getters: true,
        unsafe: true,
        unsafe_arrows: true,
        unsafe_math: true,
        unsafe_methods: true,
        unsafe_proto: true,
        unsafe_regexp: true,
        unsafe_symbols: true,
        unsafe_undefined: true,
      },
    })
  ).code

const require = createRequire(import.meta.url)
/** What a build depends on besides the files esbuild reads: this script and the two tools' versions. */
const tooling = [
  fileURLToPath(import.meta.url),
  require.resolve('./build-stamp.mjs'),
  require.resolve('./mangled-names.mjs'),
  join(here, 'mangle-cache.json'),
  require.resolve('esbuild/package.json'),
  require.resolve('terser/package.json'),
]

/**
 * Builds every file of `dist/`, unless every file the last build read and wrote is unchanged (`force` builds
 * anyway); returns the path of `spoor.js`.
 */
export async function buildSnippet({ force = false } = {}) {
  const outputs = builds.map(({ file }) => join(dist, file))
  if (!force && snippetIsFresh()) return outputs[0]
  mkdirSync(dist, { recursive: true })
  const inputs = []
  for (const { file, entry, full } of builds) {
    const bundled = await build({ ...esbuildOptions(entry, full), write: false, metafile: true })
    // esbuild names its inputs relative to the working folder.
    for (const input of Object.keys(bundled.metafile.inputs)) inputs.push(resolve(input))
    writeFileSync(join(dist, file), await compress(bundled.outputFiles[0].text))
  }
  writeStamp([...inputs, ...tooling, ...outputs])
  return outputs[0]
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildSnippet({ force: process.argv.includes('--force') })
  for (const { file } of builds) console.log(file.padEnd(14), JSON.stringify(sizeOf(join(dist, file))))
}
