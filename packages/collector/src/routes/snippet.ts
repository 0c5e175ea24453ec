import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
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

/**
 * `GET /spoor.js`: the snippet, compressed once at start (brotli or gzip, by `Accept-Encoding`), with an ETag
 * and an hour of caching so that a new version reaches sites within the hour.
 */
export function snippet(path: string): Hono {
  const route = new Hono()
  const source = existsSync(path) ? readFileSync(path) : undefined
  const variants = source && {
    br: brotliCompressSync(source),
    gzip: gzipSync(source, { level: 9 }),
    identity: source,
  }
  const etag = source && `"${createHash('sha256').update(source).digest('base64url').slice(0, 16)}"`
  route.get('/spoor.js', (c) => {
    if (!variants || !etag) return c.text(`The snippet is not built (${path} is missing): run npm run build.`, 503)
    const headers: Record<string, string> = {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
      ETag: etag,
      Vary: 'Accept-Encoding',
    }
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers)
    const accepted = c.req.header('accept-encoding') ?? ''
    const encoding = /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : 'identity'
    if (encoding !== 'identity') headers['Content-Encoding'] = encoding
    return c.body(variants[encoding], 200, headers)
  })
  return route
}
