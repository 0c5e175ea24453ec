import { build } from 'esbuild'
const r = await build({ entryPoints: ['src/snippet.ts'], bundle: true, write: false, format: 'iife', minify: true, mangleProps: /^_/, target: 'es2020', conditions: ['source'], legalComments: 'none', metafile: true, define: { FULL: process.argv[2] ?? 'false' } })
const out = Object.values(r.metafile.outputs)[0]
for (const [k, v] of Object.entries(out.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)) console.log(v.bytesInOutput, k.replace(/.*packages\//, ''))
