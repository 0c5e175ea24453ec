import { eventLineSchema } from '@spoor/protocol'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { readLines, testApp, writeKey } from '../../../test/support/helpers.js'
import { parseConfig } from '../src/index.js'

describe('the JSON Schema of an NDJSON line', () => {
  it('describes every line the collector writes, of every type and route', async () => {
    const { app, sink, dataDir } = await testApp({ clientIp: () => '198.51.100.20' })
    await app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify({
        writeKey,
        batch: [
          {
            type: 'track',
            event: 'A',
            anonymousId: 'a',
            properties: { n: 1 },
            originalTimestamp: '2026-11-23T10:00:00.000Z',
            sentAt: '2026-11-23T10:00:01.000Z',
          },
          { type: 'page', name: 'Home', category: 'Docs', userId: 'u' },
          { type: 'identify', userId: 'u', traits: { email: 'a@b.c' } },
          { type: 'group', userId: 'u', groupId: 'g' },
          { type: 'alias', userId: 'u', previousId: 'a' },
          { type: 'screen', userId: 'u', name: 'S', timestamp: '2026-11-23T10:00:00+02:00' },
        ],
      }),
    })
    await app.request(`/p.gif?k=${writeKey}&e=Email%20Opened&campaign_id=c`)
    await sink.close()
    const lines = await readLines(dataDir)
    expect(lines).toHaveLength(7)
    const ajv = new Ajv2020({ strict: false })
    const validate = ajv.compile(eventLineSchema)
    for (const line of lines) expect(validate(line), JSON.stringify(validate.errors)).toBe(true)
  })
})

describe('the JSON Schema of the fields the collector adds to context', () => {
  it('describes bot, gpc and visitor_hash, and would refuse them malformed', async () => {
    const config = parseConfig({ sites: [{ writeKey: 'hash-key', origins: ['*'], visitorHash: true, gpc: 'mark' }] })
    const { app, sink, dataDir } = await testApp({ config, clientIp: () => '198.51.100.20' })
    const page = (userAgent: string) => ({ type: 'page', anonymousId: 'a', context: { userAgent } })
    await app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify({
        writeKey: 'hash-key',
        batch: [page('Mozilla/5.0 HeadlessChrome/131'), page('Mozilla/5.0 Chrome/131')],
      }),
      headers: { 'sec-gpc': '1' },
    })
    await sink.close()
    const lines = await readLines(dataDir)
    expect(lines.map((l) => [l.context.bot, l.context.gpc, typeof l.context.visitor_hash])).toEqual([
      [true, true, 'string'],
      [undefined, true, 'string'],
    ])
    const validate = new Ajv2020({ strict: false }).compile(eventLineSchema)
    for (const line of lines) expect(validate(line), JSON.stringify(validate.errors)).toBe(true)
    expect(validate({ ...lines[0], context: { ...lines[0]!.context, bot: 'yes' } })).toBe(false)
    expect(validate({ ...lines[0], context: { ...lines[0]!.context, visitor_hash: '198.51.100.20' } })).toBe(false)
  })
})
