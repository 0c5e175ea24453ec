// A real collector on a free port of 127.0.0.1 that counts the events its 2xx answers accepted, for benchmarks
// whose load comes from a browser: once it has stopped, its published files must hold as many lines.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp, createNdjsonSink, parseConfig, startServer } from '@spoor/collector'
import { Hono } from 'hono'
import { checkWritten } from './written-lines.js'

/** A running counting collector. */
export interface CountingCollector {
  url: string
  /** Events accepted by 2xx answers so far, and repeats the dedupe skipped (not written, so not expected on disk). */
  counts: { accepted: number; duplicates: number }
  /** Stops it (files published), checks its files against what it accepted, removes them; a complaint or undefined. */
  stopAndCheck(): Promise<string | undefined>
}

/**
 * Starts a collector for write key `e2e-key` from any origin, writing to a fresh folder.
 *
 * @param snippetPath the `spoor.js` it serves, with the files beside it (default: the snippet package's build)
 */
export async function startCountingCollector(snippetPath?: string): Promise<CountingCollector> {
  const dataDir = await mkdtemp(join(tmpdir(), 'spoor-bench-browser-'))
  const sink = createNdjsonSink({ dataDir })
  const config = parseConfig({ sites: [{ writeKey: 'e2e-key', origins: ['*'] }] })
  const counts = { accepted: 0, duplicates: 0 }
  const app = new Hono()
  app.use(async (c, next) => {
    await next()
    if (!c.req.path.startsWith('/v1/') || c.res.status < 200 || c.res.status >= 300) return
    const text = await c.res.clone().text()
    counts.accepted += Number(/"accepted":(\d+)/.exec(text)?.[1] ?? 0)
    counts.duplicates += Number(/"duplicates":(\d+)/.exec(text)?.[1] ?? 0)
  })
  app.route('/', createApp({ config, sink, ...(snippetPath ? { snippetPath } : {}) }))
  const server = await startServer({ app, sink, port: 0, hostname: '127.0.0.1' })
  return {
    url: `http://127.0.0.1:${server.port}`,
    counts,
    async stopAndCheck() {
      await server.close()
      const problem = await checkWritten('collector', dataDir, counts.accepted)
      await rm(dataDir, { recursive: true, force: true })
      return problem
    },
  }
}
