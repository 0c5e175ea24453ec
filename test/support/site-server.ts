import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
const snippet = fileURLToPath(new URL('../../packages/snippet/dist/spoor.js', import.meta.url))
const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript' }

export interface SiteServer {
  url: string
  close(): Promise<void>
}

/**
 * The site under test, on its own origin (so the collector is cross-origin, as in production): serves
 * `test/fixtures/*.html` with `{{COLLECTOR}}` replaced by the collector's URL, and the built snippet at `/spoor.js`.
 * It stays up while the collector is stopped, so pages load with the collector down.
 */
export async function startSite(collectorUrl: () => string): Promise<SiteServer> {
  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname
    try {
      if (path === '/spoor.js') {
        response.writeHead(200, { 'content-type': types['.js']! }).end(await readFile(snippet))
        return
      }
      const file = normalize(join(fixtures, path === '/' ? 'index.html' : path))
      if (!file.startsWith(fixtures)) throw new Error('outside')
      let body = await readFile(file, 'utf8')
      body = body.replaceAll('{{COLLECTOR}}', collectorUrl())
      response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body)
    } catch {
      response.writeHead(404).end('not found')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    // "localhost" rather than 127.0.0.1: another origin than the collector, and a secure context (Web Locks).
    url: `http://localhost:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
