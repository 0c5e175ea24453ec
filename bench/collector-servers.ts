// The baseline of the collector benchmark, in a process of its own beside `spoor serve`:
//   bare <dataDir> — a bare node:http server doing the same parse-and-append, without fsync
// It prints {"port": N} once listening on 127.0.0.1 and stops on SIGTERM.

import { randomUUID } from 'node:crypto'
import { open } from 'node:fs/promises'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { transparentGif } from '@spoor/collector'

const [mode, dataDir] = process.argv.slice(2) as [string, string]

if (mode === 'bare') {
  // What a hand-written collector does: read the body, parse it, stamp each event, append lines; no fsync.
  const file = await open(join(dataDir, 'bare.ndjson'), 'a')
  const append = (text: string) => file.write(text)
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (req.method === 'GET' && url.pathname === '/p.gif') {
      const line = {
        messageId: randomUUID(),
        type: 'page',
        writeKey: url.searchParams.get('k'),
        properties: Object.fromEntries(url.searchParams),
        context: { userAgent: req.headers['user-agent'] },
        receivedAt: new Date().toISOString(),
      }
      void append(JSON.stringify(line) + '\n').then(() => {
        res.writeHead(200, {
          'Content-Type': 'image/gif',
          'Content-Length': 43,
          'Cache-Control': 'no-cache, no-store, must-revalidate, max-age=0',
        })
        res.end(transparentGif)
      })
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { batch: Record<string, unknown>[] }
        const receivedAt = new Date().toISOString()
        const text = body.batch.map((event) => JSON.stringify({ ...event, receivedAt }) + '\n').join('')
        void append(text).then(() => {
          res.writeHead(200, { 'Content-Type': 'application/json' })
          res.end(JSON.stringify({ success: true, accepted: body.batch.length }))
        })
      } catch {
        res.writeHead(400).end()
      }
    })
  })
  server.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number }
    console.log(JSON.stringify({ port: address.port }))
  })
  process.once('SIGTERM', () => server.close(() => void file.close().then(() => process.exit(0))))
} else throw new Error(`collector-servers.ts: unknown server ${mode}: the one here is bare`)
