// What each plugin costs in each build: the build's brotli bytes, and how many fewer it has with that plugin left
// out (its module replaced by an empty plugin of the same name). Run: node packages/snippet/size-report.mjs

import { brotliCompressSync } from 'node:zlib'
import { build } from 'esbuild'
import { compress, esbuildOptions } from './build.mjs'

const plugin = (file, name, exports) => [
  file,
  exports.map((e) => `export const ${e} = () => ({ name: '${name}' })`).join('\n'),
]
const parts = {
  core: [plugin('plugins/pageviews.ts', 'pageviews', ['pageviews']), plugin('plugins/clicks.ts', 'clicks', ['clicks'])],
  full: [
    plugin('plugins/web-vitals.ts', 'web-vitals', ['webVitals']),
    plugin('plugins/cart.ts', 'cart', ['cart']),
    plugin('plugins/media.ts', 'media', ['media']),
    plugin('plugins/heatmaps.ts', 'heatmaps', ['heatmaps']),
    plugin('plugins/engagement.ts', 'engagement', ['engagement']),
    plugin('plugins/nps-prompt.ts', 'nps-prompt', ['npsPrompt', 'promptNps']),
    plugin('plugins/identify-field.ts', 'identify-field', ['identifyField']),
    ['helpers/feedback.ts', 'export const nps = () => {}, survey = nps, review = nps'],
    ['helpers/account.ts', 'export const alias = () => {}, group = alias, signOut = alias'],
  ],
}

/** Brotli bytes of the snippet built with `full`, with the module ending in `stubbed[0]` replaced by `stubbed[1]`. */
async function brotli(full, stubbed) {
  const stub = {
    name: 'stub',
    setup: (b) =>
      b.onLoad({ filter: /sdk\/src\/.*\.ts$/ }, (args) =>
        stubbed && args.path.endsWith(stubbed[0]) ? { contents: stubbed[1], loader: 'ts' } : undefined,
      ),
  }
  const options = esbuildOptions('snippet.ts', full)
  const bundled = await build({ ...options, write: false, logLevel: 'error', plugins: [stub, ...options.plugins] })
  const code = await compress(bundled.outputFiles[0].text)
  return brotliCompressSync(code).length
}

for (const [build, stubs] of [
  ['core', parts.core],
  ['full', [...parts.core, ...parts.full]],
]) {
  const whole = await brotli(build === 'full')
  console.log(`\n${build === 'core' ? 'spoor.js' : 'spoor.full.js'}: ${whole} bytes brotli; each part's share:`)
  for (const stubbed of stubs)
    console.log(`  ${stubbed[0].padEnd(28)} ${String(whole - (await brotli(build === 'full', stubbed))).padStart(5)}`)
}
