import { readdir } from 'node:fs/promises'
import { connect } from 'node:net'
import { deflateSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { readLines, testApp, writeKey } from '../../../test/support/helpers.js'
import { startServer } from '../src/index.js'

type App = Awaited<ReturnType<typeof testApp>>['app']
const post = (app: App, body: BodyInit, headers: Record<string, string> = {}) =>
  app.request('/v1/batch', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } })
const batch = (events: object[]) => JSON.stringify({ writeKey, batch: events })

describe('bodies the collector must not trust', () => {
  it('accepts gzip and deflate bodies', async () => {
    const { app, sink, dataDir } = await testApp()
    const gz = await post(app, gzipSync(batch([{ type: 'page', anonymousId: 'a', messageId: 'gz' }])), {
      'content-encoding': 'gzip',
    })
    const df = await post(app, deflateSync(batch([{ type: 'page', anonymousId: 'a', messageId: 'df' }])), {
      'content-encoding': 'deflate',
    })
    expect([gz.status, df.status]).toEqual([200, 200])
    await sink.close()
    expect((await readLines(dataDir)).map((e) => e.messageId)).toEqual(['gz', 'df'])
  })

  it('caps the decompressed size of a gzip body (a 10 MB bomb in 10 KB is refused with 413)', async () => {
    const { app } = await testApp()
    const bomb = gzipSync(
      Buffer.concat([Buffer.from('{"batch":[],"x":"'), Buffer.alloc(10 * 1024 * 1024, 97), Buffer.from('"}')]),
    )
    expect(bomb.length).toBeLessThan(20_000)
    const response = await post(app, bomb, { 'content-encoding': 'gzip' })
    expect(response.status).toBe(413)
    expect((await response.json()).error).toBe('decompressed body is over the limit of 512000 bytes')
  })

  it('refuses broken gzip (400) and unknown encodings (415)', async () => {
    const { app } = await testApp()
    const broken = await post(app, 'not gzip at all', { 'content-encoding': 'gzip' })
    expect([broken.status, (await broken.json()).error]).toEqual([400, 'body is not valid gzip'])
    const br = await post(app, 'x', { 'content-encoding': 'br' })
    expect([br.status, (await br.json()).error]).toEqual([
      415,
      'content encoding br is not accepted: send gzip, deflate or none',
    ])
  })

  it('refuses JSON nested deeper than 32 levels, and keeps a deep but reasonable event', async () => {
    const { app } = await testApp()
    const deep = `{"writeKey":"${writeKey}","batch":[{"type":"page","anonymousId":"a","properties":{"p":${'['.repeat(100_000)}${']'.repeat(100_000)}}}]}`
    const response = await post(app, deep)
    expect([response.status, (await response.json()).error]).toEqual([400, 'body nests JSON deeper than 32 levels'])
    const nested = { a: { b: { c: { d: [{ e: [1, { f: 'ok' }] }] } } } }
    expect(
      (await post(app, batch([{ type: 'track', event: 'Deep', anonymousId: 'a', properties: nested }]))).status,
    ).toBe(200)
    // Brackets inside strings are text, not nesting.
    expect(
      (
        await post(
          app,
          batch([{ type: 'track', event: 'Text', anonymousId: 'a', properties: { s: '[['.repeat(100) } }]),
        )
      ).status,
    ).toBe(200)
  })

  it('replaces lone surrogates with U+FFFD, in values and keys, so every line is valid Unicode', async () => {
    const { app, sink, dataDir } = await testApp()
    const body = `{"writeKey":"${writeKey}","batch":[{"type":"track","event":"Lone \\ud800","anonymousId":"a","properties":{"k\\udc00":"pair \\ud83d\\ude00 ok"}}]}`
    expect((await post(app, body)).status).toBe(200)
    await sink.close()
    const [line] = await readLines(dataDir)
    expect(line!.event).toBe('Lone \uFFFD')
    expect(line!.properties).toEqual({ 'k\uFFFD': 'pair 😀 ok' })
  })

  it('refuses invalid UTF-8 (400) and a wrong content type (415)', async () => {
    const { app } = await testApp()
    const invalid = await post(app, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]))
    expect([invalid.status, (await invalid.json()).error]).toEqual([400, 'body is not valid UTF-8'])
    const form = await post(app, 'a=b', { 'content-type': 'application/x-www-form-urlencoded' })
    expect(form.status).toBe(415)
  })

  it("takes RudderStack's Node SDK batches: gzipped JSON labelled as a form", async () => {
    const { app, sink, dataDir } = await testApp()
    // What @rudderstack/rudder-sdk-node 3 sends (axios labels a buffer application/x-www-form-urlencoded); refused,
    // the SDK drops the batch, as it does for every 4xx.
    const response = await post(app, gzipSync(batch([{ type: 'track', event: 'E', userId: 'u', messageId: 'rs' }])), {
      'content-type': 'application/x-www-form-urlencoded',
      'content-encoding': 'gzip',
      'user-agent': 'analytics-node/3.1.1',
    })
    expect(response.status).toBe(200)
    await sink.close()
    expect((await readLines(dataDir)).map((e) => e.messageId)).toEqual(['rs'])
  })

  it('answers 408 to a client that sends its body too slowly, and keeps serving others', async () => {
    const { app, sink } = await testApp({ bodyTimeoutMs: 200 })
    const server = await startServer({ app, sink, port: 0, hostname: '127.0.0.1' })
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1', () => {
          socket.write(
            `POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"batch":[`,
          )
        })
        let text = ''
        socket.on('data', (chunk) => (text += chunk))
        socket.on('close', () => resolve(text))
        socket.on('error', reject)
      })
      expect(answer).toMatch(/^HTTP\/1\.1 408 /)
      expect(answer).toContain('the body took too long to arrive')
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    } finally {
      await server.close()
    }
  })

  it('never lets anything from a request become part of a file path', async () => {
    const { app, sink, dataDir } = await testApp()
    const hostile = '../../../../tmp/owned'
    await post(
      app,
      batch([
        {
          type: 'track',
          event: hostile,
          anonymousId: hostile,
          userId: hostile,
          messageId: hostile,
          context: { page: { path: hostile } },
        },
      ]),
      {
        'x-forwarded-for': hostile,
      },
    )
    await post(app, JSON.stringify({ writeKey: hostile, batch: [] }))
    await app.request(`/p.gif?k=${writeKey}&e=${encodeURIComponent(hostile)}&aid=${encodeURIComponent(hostile)}`)
    await sink.close()
    const files = (await readdir(dataDir, { recursive: true })).filter((name) => name.endsWith('.ndjson'))
    expect(files.length).toBeGreaterThan(0)
    for (const file of files)
      expect(file).toMatch(/^events\/dt=\d{4}-\d{2}-\d{2}\/hour=\d{2}\/\d{8}T\d{9}Z-\d{6}-[0-9a-f]{8}\.ndjson$/)
    expect((await readLines(dataDir)).map((e) => e.event)).toEqual([hostile, hostile])
  })
})
