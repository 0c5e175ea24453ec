import { request } from 'node:http'
import { createMetrics } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { readLines, testApp, writeKey } from '../../../test/support/helpers.js'
import { startServer } from '../src/index.js'

/** POSTs `body` over node:http, chunked (no Content-Length) when asked; resolves to the status and Retry-After. */
function send(url: string, body: string, chunked: boolean) {
  return new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
    const req = request(
      url + '/v1/batch',
      {
        method: 'POST',
        headers: { 'content-type': 'text/plain', ...(chunked ? {} : { 'content-length': Buffer.byteLength(body) }) },
      },
      (res) => {
        res.resume()
        res.on('end', () =>
          resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] as string | undefined }),
        )
      },
    )
    req.on('error', reject)
    if (chunked) {
      // Sent in pieces, so the collector must count bytes as they arrive.
      for (let i = 0; i < body.length; i += 16_384) req.write(body.slice(i, i + 16_384))
      req.end()
    } else req.end(body)
  })
}

describe('overload', () => {
  it('holds request bytes under the in-flight cap, answers the rest 503 with Retry-After, and keeps every 2xx', async () => {
    const limit = 300_000
    const metrics = createMetrics()
    // The refusals keep the heap tight (see heap-pressure.ts): counted here rather than set in the test process.
    let refusals = 0
    const heapPressure = { refused: () => refusals++, calm: () => {}, tight: false }
    const { app, sink, dataDir } = await testApp({ maxInFlightBytes: limit, metrics, heapPressure })
    const server = await startServer({ app, sink, port: 0, hostname: '127.0.0.1' })
    const pad = 'x'.repeat(10_000)
    const body = (n: number) =>
      JSON.stringify({
        writeKey,
        batch: Array.from({ length: 9 }, (_, i) => ({
          type: 'track',
          event: 'Load',
          anonymousId: 'a',
          messageId: `r${n}-${i}`,
          properties: { pad },
        })),
      })
    const answers = await Promise.all(
      Array.from({ length: 80 }, (_, n) => send(server.url, body(n), n % 2 === 1).then((a) => ({ ...a, n }))),
    )
    const page = await (await fetch(server.url + '/metrics')).text()
    await server.close()

    const refused = answers.filter((a) => a.status === 503)
    const ok = answers.filter((a) => a.status === 200)
    expect(refused.length).toBeGreaterThan(0)
    expect(refusals).toBeGreaterThanOrEqual(refused.length)
    expect(ok.length).toBeGreaterThan(0)
    expect(ok.length + refused.length).toBe(answers.length)
    for (const a of refused) expect(Number(a.retryAfter)).toBeGreaterThan(0)
    const peak = Number(/^spoor_in_flight_bytes_peak (\d+)$/m.exec(page)![1])
    expect(peak).toBeGreaterThan(0)
    expect(peak).toBeLessThanOrEqual(limit)
    expect(page).toMatch(/^spoor_in_flight_bytes 0$/m)
    const written = new Set((await readLines(dataDir)).map((e) => e.messageId))
    for (const { n } of ok) for (let i = 0; i < 9; i++) expect(written.has(`r${n}-${i}`)).toBe(true)
    for (const { n } of refused) expect(written.has(`r${n}-0`)).toBe(false)
  })
})
