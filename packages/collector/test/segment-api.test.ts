import { describe, expect, it } from 'vitest'
import { basic, origin, readLines, testApp, writeKey } from '../../../test/support/helpers.js'

const post = (
  app: Awaited<ReturnType<typeof testApp>>['app'],
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) =>
  app.request(path, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  })

describe('POST /v1/batch', () => {
  it('keeps the valid events of a mixed batch and says which were rejected, and why', async () => {
    const { app, sink, dataDir } = await testApp()
    const response = await post(app, '/v1/batch', {
      writeKey,
      batch: [
        { type: 'track', event: 'Signed Up', anonymousId: 'a1', messageId: 'm1', properties: { plan: 'pro' } },
        { type: 'track', anonymousId: 'a1', messageId: 'm2' },
        { type: 'page', userId: 'u1', messageId: 'm3' },
        { type: 'identify', messageId: 'm4' },
      ],
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      success: true,
      accepted: 2,
      duplicates: 0,
      rejected: [
        { index: 1, reason: 'track needs an event name in "event"' },
        { index: 3, reason: 'anonymousId or userId is required' },
      ],
    })
    await sink.close()
    const events = await readLines(dataDir)
    expect(events.map((e) => e.messageId)).toEqual(['m1', 'm3'])
    expect(events[0]).toMatchObject({ type: 'track', event: 'Signed Up', properties: { plan: 'pro' }, writeKey })
    const rejected = await readLines(dataDir, 'rejected')
    expect(rejected.map((r) => [r.index, r.reason])).toEqual([
      [1, 'track needs an event name in "event"'],
      [3, 'anonymousId or userId is required'],
    ])
    expect(JSON.parse(rejected[0]!.raw)).toMatchObject({ messageId: 'm2' })
  })

  it('answers 400 when every event was rejected, and still keeps them with their reasons', async () => {
    const { app, sink, dataDir } = await testApp()
    const response = await post(app, '/v1/batch', { writeKey, batch: [{ type: 'nope', anonymousId: 'a' }] })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ success: false, accepted: 0, rejected: [{ index: 0 }] })
    await sink.close()
    expect(await readLines(dataDir)).toEqual([])
    expect(await readLines(dataDir, 'rejected')).toHaveLength(1)
  })

  it('writes every field on every line, with the skew-corrected timestamp', async () => {
    const arrival = new Date('2026-03-02T10:00:00.000Z')
    const { app, sink, dataDir } = await testApp({ now: () => arrival })
    // The client clock is an hour fast: it says it sent the batch 2 s after the call.
    const call = new Date(arrival.getTime() + 3600_000)
    const sent = new Date(call.getTime() + 2000)
    await post(app, '/v1/batch', {
      writeKey,
      sentAt: sent.toISOString(),
      batch: [{ type: 'page', anonymousId: 'a', originalTimestamp: call.toISOString() }],
    })
    await sink.close()
    const [line] = await readLines(dataDir)
    expect(Object.keys(line!).sort()).toEqual([
      'anonymousId',
      'category',
      'context',
      'event',
      'groupId',
      'messageId',
      'name',
      'originalTimestamp',
      'previousId',
      'properties',
      'receivedAt',
      'sentAt',
      'timestamp',
      'traits',
      'type',
      'userId',
      'writeKey',
    ])
    expect(line).toMatchObject({ event: null, userId: null, properties: {}, traits: {}, sentAt: sent.toISOString() })
    expect(line!.messageId).toMatch(/^[0-9a-f-]{36}$/)
    expect(line!.receivedAt).toBe('2026-03-02T10:00:00.000Z')
    expect(line!.timestamp).toBe('2026-03-02T09:59:58.000Z')
  })

  it('takes the write key as the HTTP Basic user, and a text/plain body', async () => {
    const { app, sink, dataDir } = await testApp()
    const response = await post(app, '/v1/track', '{"event":"Paid","userId":"u9"}', {
      authorization: basic(writeKey),
      'content-type': 'text/plain;charset=UTF-8',
    })
    expect(response.status).toBe(200)
    await sink.close()
    expect(await readLines(dataDir)).toMatchObject([{ type: 'track', event: 'Paid', userId: 'u9' }])
  })

  it("takes analytics.js's one-letter paths and Segment's /v1/import, each as the route it stands for", async () => {
    const { app, sink, dataDir } = await testApp()
    // @segment/analytics-next posts one event to /v1/t, /v1/p, /v1/i, /v1/g, /v1/a, /v1/s, and in its batching mode
    // {batch} to /v1/b; it drops an event a 4xx answers, so a path this collector did not take lost every one.
    const headers = { authorization: basic(writeKey), 'content-type': 'text/plain' }
    const one = { anonymousId: 'a1', writeKey }
    const answers = await Promise.all([
      post(app, '/v1/t', { ...one, type: 'track', event: 'Clicked', messageId: 'ajs-t' }, headers),
      post(app, '/v1/p', { ...one, type: 'page', name: 'Home', messageId: 'ajs-p' }, headers),
      post(app, '/v1/i', { ...one, type: 'identify', userId: 'u1', messageId: 'ajs-i' }, headers),
      post(app, '/v1/g', { ...one, type: 'group', groupId: 'g1', messageId: 'ajs-g' }, headers),
      post(app, '/v1/a', { ...one, type: 'alias', userId: 'u1', previousId: 'a1', messageId: 'ajs-a' }, headers),
      post(app, '/v1/s', { ...one, type: 'screen', name: 'Cart', messageId: 'ajs-s' }, headers),
      post(app, '/v1/b', { writeKey, batch: [{ type: 'track', event: 'B', anonymousId: 'a1', messageId: 'ajs-b' }] }),
      post(app, '/v1/import', { batch: [{ type: 'track', event: 'I', userId: 'u1', messageId: 'import-1' }] }, headers),
    ])
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200])
    // A one-letter path names its type as the long one does: an event of another type is refused.
    const wrong = await post(app, '/v1/t', { ...one, type: 'page', messageId: 'ajs-wrong' }, headers)
    expect(wrong.status).toBe(400)
    expect((await post(app, '/v1/x', { ...one, type: 'track', event: 'X' }, headers)).status).toBe(400)
    await sink.close()
    const lines = await readLines(dataDir)
    expect(lines.map((line) => [line.messageId, line.type]).sort()).toEqual([
      ['ajs-a', 'alias'],
      ['ajs-b', 'track'],
      ['ajs-g', 'group'],
      ['ajs-i', 'identify'],
      ['ajs-p', 'page'],
      ['ajs-s', 'screen'],
      ['ajs-t', 'track'],
      ['import-1', 'track'],
    ])
  })

  it("takes RudderStack's beacons at /beacon/v1/batch, the write key in the query", async () => {
    const { app, sink, dataDir } = await testApp()
    // @rudderstack/analytics-js with its beacon queue: sendBeacon, a text/plain body, no header of its own.
    const response = await post(
      app,
      `/beacon/v1/batch?writeKey=${writeKey}`,
      {
        batch: [{ type: 'track', event: 'Clicked', anonymousId: 'a1', messageId: 'rs-1' }],
        sentAt: new Date().toISOString(),
      },
      { 'content-type': 'text/plain;charset=UTF-8', origin },
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    await sink.close()
    expect(await readLines(dataDir)).toMatchObject([{ messageId: 'rs-1', event: 'Clicked', writeKey }])
  })

  it('refuses unknown and missing write keys with 401', async () => {
    const { app } = await testApp()
    const unknown = await post(app, '/v1/batch', { writeKey: 'nope', batch: [] })
    expect(unknown.status).toBe(401)
    expect(await unknown.json()).toEqual({
      success: false,
      error: "unknown write key 'nope': no site of this collector has it",
    })
    const missing = await post(app, '/v1/batch', { batch: [] })
    expect(missing.status).toBe(401)
    expect((await missing.json()).error).toMatch(/^missing write key/)
  })

  it('refuses bodies it cannot read, each with its own status and reason', async () => {
    const { app } = await testApp()
    const status = async (body: unknown, headers?: Record<string, string>) => {
      const response = await post(app, '/v1/batch', body, headers)
      return [response.status, (await response.json()).error]
    }
    expect(await status('{"batch": [')).toEqual([400, expect.stringMatching(/^body is not valid JSON/)])
    expect(await status({ writeKey, batch: {} })).toEqual([400, 'body must be {"batch": [events…]}'])
    expect(await status('x', { 'content-type': 'application/xml' })).toEqual([
      415,
      expect.stringMatching(/^content type application\/xml/),
    ])
    expect(
      await status({ writeKey, batch: [{ type: 'page', anonymousId: 'a', properties: { p: 'x'.repeat(600_000) } }] }),
    ).toEqual([413, expect.stringMatching(/over the limit of 512000/)])
    expect(await status({ writeKey, batch: Array(2501).fill({}) })).toEqual([
      400,
      'batch holds 2501 events, over the limit of 2500',
    ])
  })

  it("refuses events that name the collector's own library, which marks the carts it decides", async () => {
    const { app, sink, dataDir } = await testApp()
    const forged = { library: { name: 'spoor-collector', version: '0.1.0' } }
    const reason = 'context.library.name "spoor-collector" is reserved for the events the collector derives itself'
    const response = await post(app, '/v1/batch', {
      writeKey,
      batch: [
        { type: 'track', event: 'Cart Abandoned', anonymousId: 'a1', messageId: 'm1', context: forged },
        { type: 'track', event: 'Cart Abandoned', anonymousId: 'a1', messageId: 'm2' },
      ],
    })
    expect(await response.json()).toEqual({
      success: true,
      accepted: 1,
      duplicates: 0,
      rejected: [{ index: 0, reason }],
    })
    // Under the batch, it would stand for every event that names no library.
    const batchWide = await post(app, '/v1/batch', {
      writeKey,
      context: forged,
      batch: [{ type: 'track', event: 'Cart Abandoned', anonymousId: 'a1', messageId: 'm3' }],
    })
    expect([batchWide.status, (await batchWide.json()).error]).toEqual([400, `batch ${reason}`])
    await sink.close()
    expect((await readLines(dataDir)).map((e) => [e.messageId, e.context.library])).toEqual([['m2', undefined]])
    expect((await readLines(dataDir, 'rejected')).map((r) => [r.index, r.reason])).toEqual([[0, reason]])
  })

  it('writes a retried messageId once, and answers it as a duplicate', async () => {
    const { app, sink, dataDir } = await testApp()
    const batch = { writeKey, batch: [{ type: 'page', anonymousId: 'a', messageId: 'same' }] }
    expect(await (await post(app, '/v1/batch', batch)).json()).toMatchObject({ accepted: 1, duplicates: 0 })
    expect(await (await post(app, '/v1/batch', batch)).json()).toMatchObject({ accepted: 0, duplicates: 1 })
    await sink.close()
    expect(await readLines(dataDir)).toHaveLength(1)
  })

  it("never writes a raw IP: the socket address and a server library's context.ip are masked", async () => {
    const { app, sink, dataDir } = await testApp({ clientIp: () => '203.0.113.77' })
    await post(
      app,
      '/v1/batch',
      {
        writeKey,
        batch: [
          { type: 'page', anonymousId: 'a' },
          { type: 'page', anonymousId: 'b', context: { ip: '2001:db8:85a3:1:2:8a2e:370:7334' } },
        ],
      },
      { authorization: basic(writeKey) },
    )
    await sink.close()
    expect((await readLines(dataDir)).map((e) => e.context.ip)).toEqual(['203.0.0.0', '2001:db8:85a3::'])
  })
})

describe('CORS', () => {
  it("answers a preflight for a site's origin only, cached for a day", async () => {
    const { app } = await testApp()
    const preflight = (from: string) =>
      app.request('/v1/batch', {
        method: 'OPTIONS',
        headers: { origin: from, 'access-control-request-method': 'POST' },
      })
    const allowed = await preflight(origin)
    expect(allowed.status).toBe(204)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(origin)
    expect(allowed.headers.get('access-control-max-age')).toBe('86400')
    const refused = await preflight('https://evil.example')
    expect(refused.status).toBe(403)
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('allows the request headers a preflight asks for, as Segment-compatible browser clients add their own', async () => {
    const { app } = await testApp()
    const preflight = (path: string, headers: string) =>
      app.request(path, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
      })
    // analytics.js 2.0 retries with X-Retry-Count; RudderStack's SDK sends AnonymousId, and on retries
    // Rsa-Request-Attempt and Rsa-Since-Last-Attempt. Refused, the browser never sent the request at all.
    const retry = await preflight('/v1/t', 'authorization,content-type,x-retry-count')
    expect(retry.status).toBe(204)
    expect(retry.headers.get('access-control-allow-headers')).toBe('authorization,content-type,x-retry-count')
    const rudder = await preflight('/v1/track', 'anonymousid,authorization,content-type,rsa-since-last-attempt')
    expect(rudder.headers.get('access-control-allow-headers')).toBe(
      'anonymousid,authorization,content-type,rsa-since-last-attempt',
    )
    // The answer depends on what was asked: a cache between must keep them apart.
    expect(rudder.headers.get('vary')).toBe('Origin, Access-Control-Request-Headers')
    // What is no list of header names is not echoed.
    const odd = await preflight('/v1/batch', 'content-type, x-evil: 1')
    expect(odd.headers.get('access-control-allow-headers')).toBe('Content-Type, Authorization')
  })

  it("lets the site's pages read the answer, and refuses a key used from another origin", async () => {
    const { app } = await testApp()
    const ok = await post(app, '/v1/batch', { writeKey, batch: [] }, { origin })
    expect(ok.headers.get('access-control-allow-origin')).toBe(origin)
    expect(ok.headers.get('access-control-expose-headers')).toBe('Retry-After')
    const other = await post(app, '/v1/batch', { writeKey: 'server-key', batch: [] }, { origin })
    expect(other.status).toBe(403)
    expect((await other.json()).error).toBe(
      "origin https://shop.example may not send with this write key: add https://shop.example to the origins of its site in the collector's config",
    )
  })

  it("accepts pages the collector serves itself on this machine, whose origin is the collector's own", async () => {
    const { app } = await testApp()
    const own = await post(
      app,
      'http://localhost:8787/v1/batch',
      { writeKey: 'server-key', batch: [] },
      { origin: 'http://localhost:8787' },
    )
    expect(own.status).toBe(200)
    // Under a public name the Host header proves nothing (DNS rebinding): such a site lists its origin.
    const named = await post(
      app,
      'http://collector.example/v1/batch',
      { writeKey: 'server-key', batch: [] },
      { origin: 'http://collector.example' },
    )
    expect(named.status).toBe(403)
  })
})
