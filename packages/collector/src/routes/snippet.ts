import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { Hono } from 'hono'

/** Where the built script-tag file is: the `@spoor/snippet` package's `dist/spoor.js`. */
export function defaultSnippetPath(): string {
  try {
    return createRequire(import.meta.url).resolve('@spoor/snippet/spoor.js')
  } catch {
    // Not built (or not installed): the collector still runs, and /spoor.js says what is missing.
    return '@spoor/snippet/dist/spoor.js'
  }
}

/** A file compressed once at start, with its ETag. */
const prepare = (source: Buffer<ArrayBuffer>) => ({
  br: brotliCompressSync(source),
  gzip: gzipSync(source, { level: 9 }),
  identity: source,
  etag: `"${createHash('sha256').update(source).digest('base64url').slice(0, 16)}"`,
})

/**
 * `GET /spoor.js` and every other script beside it in the snippet package's `dist/` (`/spoor.full.js`, the lazily
 * loaded `/spoor-nps.js`), by name: compressed once at start (brotli or gzip, by `Accept-Encoding`), with an ETag
 * and an hour of caching so that a new version reaches sites within the hour. Other `*.js` paths pass through.
 */
export function snippet(path: string): Hono {
  const route = new Hono()
  const dir = dirname(path)
  const files = new Map<string, ReturnType<typeof prepare>>()
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    if (name.endsWith('.js')) files.set(name, prepare(readFileSync(join(dir, name))))
  }
  route.get('/:file{[\\w.-]+\\.js}', (c, next) => {
    const name = c.req.param('file')
    const file = files.get(name)
    if (!file && name === basename(path))
      return c.text(`The snippet is not built (${path} is missing): run npm run build.`, 503)
    if (!file) return next()
    const headers: Record<string, string> = {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
      ETag: file.etag,
      Vary: 'Accept-Encoding',
    }
    if (c.req.header('if-none-match') === file.etag) return c.body(null, 304, headers)
    const accepted = c.req.header('accept-encoding') ?? ''
    const encoding = /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : 'identity'
    if (encoding !== 'identity') headers['Content-Encoding'] = encoding
    return c.body(file[encoding], 200, headers)
  })
  return route
}
