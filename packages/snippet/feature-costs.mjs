// What each feature costs in each build: the brotli bytes a build loses when that feature's code is taken out of the
// sources at bundle time, by the edits of `feature-edits.mjs`. Marginal figures: they do not add up exactly (brotli
// charges for what is new to it). Run: node packages/snippet/feature-costs.mjs [part of a feature's name …]

import { brotliCompressSync } from 'node:zlib'
import { buildWithout, features } from './feature-edits.mjs'

const brotli = async (full, list = []) => brotliCompressSync(await buildWithout(full, list)).length

const only = process.argv.slice(2)
const whole = { core: await brotli(false), full: await brotli(true) }
const row = (name, core, full) =>
  console.log(`${name.padEnd(72)} ${String(core).padStart(8)} ${String(full).padStart(8)}`)
row('', 'spoor.js', 'full')
row('(whole build)', whole.core, whole.full)
for (const [name, list] of Object.entries(features)) {
  if (!only.length || only.some((part) => name.includes(part))) {
    row(name, whole.core - (await brotli(false, list)), whole.full - (await brotli(true, list)))
  }
}
