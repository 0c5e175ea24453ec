// The peers' published tracker files, made the way each project makes the file a site loads, for the side-by-side
// snippet benchmark. Plausible and Segment are dev dependencies; Umami's tracker is published only inside the
// `umami` package (a whole server with a database client among its dependencies), so its tarball is fetched with
// `npm pack` into a cache folder and only the tracker's source is taken from it.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { minify } from 'terser'

const modules = fileURLToPath(new URL('../node_modules/', import.meta.url))
const versionOf = (name: string) =>
  (JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')) as { version: string }).version
const cache = fileURLToPath(new URL('../node_modules/.cache/spoor-bench-peers/', import.meta.url))

/** Versions compared, as the table names them. */
export const peerVersions = {
  plausible: versionOf('@plausible-analytics/tracker'),
  segment: versionOf('@segment/analytics-next'),
  umami: '2.10.0',
}

/** Plausible's npm tracker as a site bundles it: `init` with the page view captured automatically. */
async function plausible(sink: string): Promise<string> {
  const entry = `import { init } from '@plausible-analytics/tracker'
init({ domain: 'bench.test', endpoint: ${JSON.stringify(sink + '/api/event')}, captureOnLocalhost: true })`
  const out = await build({
    stdin: { contents: entry, resolveDir: fileURLToPath(new URL('.', import.meta.url)) },
    bundle: true,
    format: 'iife',
    minify: true,
    write: false,
    target: 'es2019',
    logLevel: 'warning',
  })
  return out.outputFiles[0]!.text
}

/** Umami's `public/script.js`, built from `src/tracker/index.js` as its rollup config does (terser, no `evaluate`). */
async function umami(): Promise<string> {
  const folder = join(cache, `umami-${peerVersions.umami}`)
  const source = join(folder, 'package', 'src', 'tracker', 'index.js')
  if (!existsSync(source)) {
    mkdirSync(folder, { recursive: true })
    const tarball = execFileSync('npm', ['pack', `umami@${peerVersions.umami}`, '--silent'], {
      cwd: folder,
      encoding: 'utf8',
    }).trim()
    execFileSync('tar', ['xzf', tarball, 'package/src/tracker/index.js'], { cwd: folder })
  }
  return (await minify(readFileSync(source, 'utf8'), { compress: { evaluate: false } })).code!
}

/** The peers' files, by name, and the folder Segment's standalone build and its lazy chunks are served from. */
export async function peerTags(sink: string): Promise<{ files: Record<string, string>; segmentDir: string }> {
  const segmentDir = join(modules, '@segment/analytics-next/dist/umd')
  return {
    files: {
      'plausible.js': await plausible(sink),
      'umami.js': await umami(),
      'segment.js': readFileSync(join(segmentDir, 'standalone.js'), 'utf8'),
    },
    segmentDir,
  }
}
