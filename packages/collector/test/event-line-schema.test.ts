import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { eventLineSchema } from '@spoor/protocol'
import { readLines, testApp, writeKey } from './helpers.js'

describe('the JSON Schema of an NDJSON line', () => {
  it('describes every line the collector writes, of every type and route', async () => {
    const { app, sink, dataDir } = await testApp({ clientIp: () => '198.51.100.20' })
    await app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify({
        writeKey,
        batch: [
          { type: 'track', event: 'A', anonymousId: 'a', properties: { n: 1 }, originalTimestamp: '2026-11-23T10:00:00.000Z', sentAt: '2026-11-23T10:00:01.000Z' },
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
