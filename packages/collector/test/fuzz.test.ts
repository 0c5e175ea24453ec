import { gzipSync } from 'node:zlib'
import { createNdjsonSink } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/helpers.js'
import { createApp, parseConfig, startServer } from '../src/index.js'

/** A small seeded generator (mulberry32), so that a failure can be replayed from its seed. */
function random(seed: number) {
  let a = seed
  const next = () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(items: readonly T[]) => items[int(items.length)]!
  return { next, int, pick }
}

const weird = [
  null,
  true,
  0,
  -1,
  1e308,
  'x',
  '',
  '\u0000',
  '\ud800',
  [],
  {},
  [[[]]],
  { type: {} },
  '2026-13-45T99:99:99Z',
  'a'.repeat(5000),
]

function fuzzedRequest(r: ReturnType<typeof random>, writeKey: string): { path: string; init: RequestInit } {
  const event = () => {
    const e: Record<string, unknown> = {
      type: r.pick(['track', 'page', 'identify', 'group', 'alias', 'screen', 'nope']),
      anonymousId: 'a',
      event: 'E',
    }
    for (let i = r.int(4); i > 0; i--) {
      e[
        r.pick([
          'type',
          'event',
          'userId',
          'anonymousId',
          'messageId',
          'properties',
          'traits',
          'context',
          'timestamp',
          'sentAt',
          'originalTimestamp',
          'groupId',
          'previousId',
        ])
      ] = r.pick(weird)
    }
    if (r.next() < 0.3)
      e.context = { ip: r.pick(weird), userAgent: r.pick(weird), campaign: r.pick(weird), page: r.pick(weird) }
    return e
  }
  const valid = JSON.stringify({
    writeKey,
    sentAt: r.pick(weird),
    context: r.pick(weird),
    batch: Array.from({ length: 1 + r.int(5) }, event),
  })
  let body: string | Uint8Array = valid
  switch (r.int(7)) {
    case 0: // flipped bytes
      body = Buffer.from(valid).map((byte) => (r.next() < 0.02 ? r.int(256) : byte))
      break
    case 1: // cut short
      body = valid.slice(0, r.int(valid.length))
      break
    case 2: // random bytes
      body = Buffer.from(Array.from({ length: r.int(2000) }, () => r.int(256)))
      break
    case 3: // brackets and quotes sprinkled in
      body = valid.replace(/,/g, () => (r.next() < 0.1 ? r.pick(['[', '{', '"', '\\', ',,', '\\u', '\\ud800']) : ','))
      break
    case 4: // a whole JSON value of the wrong kind
      body = JSON.stringify(r.pick([...weird, { batch: r.pick(weird) }, { writeKey, batch: weird }]))
      break
    default:
      break
  }
  const headers: Record<string, string> = {}
  headers['content-type'] = r.pick([
    'application/json',
    'text/plain',
    'text/plain;charset=UTF-8',
    '',
    'application/xml',
    'multipart/form-data; boundary=x',
    ';;;',
  ])
  if (r.next() < 0.2) {
    headers['content-encoding'] = r.pick(['gzip', 'deflate', 'br', 'gzip, gzip', 'identity', 'x-gzip'])
    if (r.next() < 0.7 && headers['content-encoding'].includes('gzip'))
      body = gzipSync(body).subarray(0, r.next() < 0.3 ? r.int(40) : undefined)
  }
  if (r.next() < 0.2)
    headers.authorization = r.pick([
      'Basic',
      'Basic ' + Buffer.from(writeKey + ':').toString('base64'),
      'Basic %%%',
      'Bearer x',
      'Basic ' + 'A'.repeat(3000),
    ])
  if (r.next() < 0.2) headers.origin = r.pick(['https://shop.example', 'null', 'https://evil.example', ''])
  if (r.next() < 0.2) headers['x-forwarded-for'] = r.pick(['1.2.3.4', 'garbage', ', ,', '::1, 2001:db8::1', '[::1]:80'])
  if (r.next() < 0.2) headers['sec-gpc'] = '1'
  if (r.next() < 0.3)
    headers['user-agent'] = r.pick(['HeadlessChrome/120', 'curl/8', '', 'Mozilla/5.0 (via ggpht.com GoogleImageProxy)'])
  const path = r.pick([
    '/v1/batch',
    '/v1/batch',
    '/v1/track',
    '/v1/page',
    '/v1/identify',
    '/v1/nope',
    '/v1/',
    '/v1/batch?writeKey=' + writeKey,
    `/p.gif?k=${writeKey}&e=%FF%FE&uid=${'u'.repeat(2000)}`,
    '/p.gif?k=&&&=',
    '/readyz',
    '/metrics',
  ])
  const method =
    path.startsWith('/p.gif') || path === '/readyz' || path === '/metrics'
      ? r.pick(['GET', 'HEAD'])
      : r.pick(['POST', 'POST', 'POST', 'OPTIONS', 'PUT'])
  return {
    path,
    init: method === 'GET' || method === 'HEAD' ? { method, headers } : { method, headers, body: body as BodyInit },
  }
}

describe('malformed requests (seeded fuzz)', () => {
  it('never answer 5xx and never bring the collector down', async () => {
    const dataDir = await tempDir()
    const writeKey = 'fuzz-key'
    const config = parseConfig({
      sites: [
        { writeKey, origins: ['https://shop.example'], visitorHash: true, gpc: 'minimize' },
        { writeKey: 'drop-key', origins: ['*'], gpc: 'drop' },
      ],
    })
    const sink = createNdjsonSink({ dataDir, minFreeBytes: 0 })
    await sink.ready
    const errors: string[] = []
    const app = createApp({
      config,
      sink,
      snippetPath: '/nonexistent',
      log: { info() {}, warn() {}, error: (msg, fields) => errors.push(`${msg} ${JSON.stringify(fields)}`) },
    })
    const server = await startServer({ app, sink, port: 0, hostname: '127.0.0.1' })
    const seed = Number(process.env.FUZZ_SEED ?? 20261123)
    const r = random(seed)
    const statuses = new Map<number, number>()
    const failures: string[] = []
    const requests = Array.from({ length: 1200 }, () => fuzzedRequest(r, r.next() < 0.1 ? 'drop-key' : writeKey))
    for (let i = 0; i < requests.length; i += 8) {
      await Promise.all(
        requests.slice(i, i + 8).map(async ({ path, init }, j) => {
          const response = await fetch(server.url + path, init)
          await response.arrayBuffer()
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
          if (response.status >= 500) failures.push(`#${i + j} ${init.method} ${path} → ${response.status}`)
        }),
      )
    }
    expect((await fetch(server.url + '/healthz')).status).toBe(200)
    await server.close()
    expect(failures, `seed ${seed}`).toEqual([])
    expect(errors).toEqual([])
    // The fuzz reached every part: accepted events, refusals of each kind.
    for (const status of [200, 400, 401, 404, 415])
      expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0)
  }, 60_000)
})
