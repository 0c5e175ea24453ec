import { createNdjsonSink } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../../test/support/helpers.js'
import { createApp, parseConfig, startServer } from '../../src/index.js'

const token = 'metrics-token-of-24-chars-or-more'

async function serve(config: object) {
  const sink = createNdjsonSink({ dataDir: await tempDir() })
  const app = createApp({ config: parseConfig(config), sink, snippetPath: '/x' })
  return startServer({ app, sink, port: 0, hostname: '127.0.0.1' })
}

describe('/metrics is not for everyone', () => {
  it('answers a scraper on this machine, and asks anyone else (or a local proxy\u2019s client) for the token', async () => {
    const server = await serve({ sites: [{ writeKey: 'shop-key' }], metrics: { token } })
    try {
      expect((await fetch(server.url + '/metrics')).status).toBe(200)
      // Through a proxy on this machine the peer is loopback, but the client is not.
      const proxied = await fetch(server.url + '/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } })
      expect(proxied.status).toBe(401)
      expect(await proxied.text()).toContain('Authorization: Bearer')
      expect(
        (
          await fetch(server.url + '/metrics', {
            headers: { 'x-forwarded-for': '203.0.113.9', authorization: 'Bearer wrong' },
          })
        ).status,
      ).toBe(401)
      const withToken = await fetch(server.url + '/metrics', {
        headers: { 'x-forwarded-for': '203.0.113.9', authorization: `Bearer ${token}` },
      })
      expect(withToken.status).toBe(200)
      expect(await withToken.text()).toContain('spoor_requests_total')
    } finally {
      await server.close()
    }
  })

  it('refuses a metrics token too short to guard anything', async () => {
    const sink = createNdjsonSink({ dataDir: await tempDir() })
    expect(() =>
      createApp({
        config: parseConfig({ sites: [{ writeKey: 'shop-key' }], metrics: { token: 'short' } }),
        sink,
        snippetPath: '/x',
      }),
    ).toThrow('metrics.token must be a string of 24 or more characters')
    await sink.close()
  })
})
