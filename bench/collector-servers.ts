// The baselines of the collector benchmark, each in a process of its own beside `spoor serve`:
//   bare <dataDir>  — a bare node:http server doing the same parse-and-append, without fsync
//   floor <dataDir> — what no collector that keeps spoor's lines durably can skip: node:http, one parse, spoor's
//                     line for each event (the same fields and bytes), and the collector's own sink (group commit,
//                     fsync); none of the checks, derivations, dedupe, cart detector or routing
// Each prints {"port": N} once listening on 127.0.0.1 and stops on SIGTERM.

import { randomUUID } from 'node:crypto'
import { open } from 'node:fs/promises'
import { createServer, type Server, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import { transparentGif } from '@spoor/collector'
import { createNdjsonSink } from '@spoor/log'
import type { EventLine } from '@spoor/protocol'

const [mode, dataDir] = process.argv.slice(2) as [string, string]

/** Listens on a free port of 127.0.0.1 and prints it; on SIGTERM stops taking requests, runs `finish`, and exits. */
function listenUntilStopped(server: Server, finish: () => Promise<void>) {
  server.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number }
    console.log(JSON.stringify({ port: address.port }))
  })
  process.once('SIGTERM', () => server.close(() => void finish().then(() => process.exit(0))))
}

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
  listenUntilStopped(server, () => file.close())
} else if (mode === 'floor') {
  const sink = createNdjsonSink({ dataDir, durability: 'fsync' })
  await sink.ready
  // The line spoor writes for the benchmark's event, field by field, built as one literal over the parsed event:
  // what the collector adds (the masked address, the visit, the parsed user agent, the times, the site) is taken as
  // given, not derived.
  type Library = NonNullable<EventLine['context']['library']>
  interface Sent {
    messageId: string
    type: EventLine['type']
    event?: string
    userId?: string
    anonymousId?: string
    properties?: EventLine['properties']
    originalTimestamp?: string
    context: { page: Record<string, string>; userAgent?: string; locale?: string; timezone?: string; library?: Library }
  }
  const lineOf = (event: Sent, session: string, sentAt: string, receivedAt: string): EventLine => {
    const { context } = event
    const page = context.page
    return {
      messageId: event.messageId,
      type: event.type,
      event: event.event ?? null,
      name: null,
      category: null,
      userId: event.userId ?? null,
      anonymousId: event.anonymousId ?? null,
      groupId: null,
      previousId: null,
      properties: event.properties ?? {},
      traits: {},
      context: {
        page: { path: page.path, url: page.url, title: page.title, referrer: page.referrer, search: '' },
        userAgent: context.userAgent,
        locale: context.locale,
        timezone: context.timezone,
        library: context.library,
        ip: '127.0.0.0',
        session: { id: session, number: 1 },
        browser: { name: 'Chrome', version: '131' },
        os: { name: 'Linux' },
        device: { type: 'desktop' },
      },
      originalTimestamp: event.originalTimestamp ?? null,
      sentAt,
      receivedAt,
      timestamp: receivedAt,
      writeKey: 'bench-key',
    }
  }
  const answer = (res: ServerResponse, status: number, type: string, body: string | Uint8Array) => {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) })
    res.end(body)
  }
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/p.gif')) {
      const url = new URL(req.url, 'http://x')
      const receivedAt = new Date()
      const sent: Sent = {
        messageId: randomUUID(),
        type: 'track',
        event: url.searchParams.get('e') ?? undefined,
        anonymousId: url.searchParams.get('aid') ?? undefined,
        properties: Object.fromEntries(url.searchParams),
        context: { page: {}, userAgent: req.headers['user-agent'] },
      }
      sink.write([lineOf(sent, randomUUID(), receivedAt.toISOString(), receivedAt.toISOString())], receivedAt).then(
        () => answer(res, 200, 'image/gif', transparentGif),
        () => answer(res, 503, 'text/plain', 'not kept'),
      )
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      let lines: EventLine[]
      const receivedAt = new Date()
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { sentAt: string; batch: Sent[] }
        const session = randomUUID()
        const at = receivedAt.toISOString()
        lines = body.batch.map((event) => lineOf(event, session, body.sentAt, at))
      } catch {
        return answer(res, 400, 'text/plain', 'not JSON')
      }
      // Only the count waits for the write: the lines are bytes in the sink by then (as in the collector).
      const accepted = lines.length
      sink.write(lines, receivedAt).then(
        () => answer(res, 200, 'application/json', JSON.stringify({ success: true, accepted })),
        () => answer(res, 503, 'text/plain', 'not kept'),
      )
    })
  })
  listenUntilStopped(server, () => sink.close())
} else throw new Error(`collector-servers.ts: unknown server ${mode}: the ones here are bare and floor`)
