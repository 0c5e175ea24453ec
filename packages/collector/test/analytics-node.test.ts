import { Analytics } from '@segment/analytics-node'
import { describe, expect, it } from 'vitest'
import { readLines, testApp } from '../../../test/support/helpers.js'
import { startServer } from '../src/index.js'

describe('a Segment server library pointed at the collector', () => {
  it('delivers its events unchanged, each once', async () => {
    const { app, sink, dataDir } = await testApp()
    const server = await startServer({ app, sink, port: 0, hostname: '127.0.0.1' })
    const analytics = new Analytics({ writeKey: 'server-key', host: server.url, flushAt: 3, maxRetries: 2 })
    analytics.identify({ userId: 'u1', traits: { email: 'ada@example.com', plan: 'pro' } })
    analytics.track({
      userId: 'u1',
      event: 'Order Completed',
      properties: { order_id: 'o1', total: 42.5, currency: 'EUR' },
    })
    analytics.page({ anonymousId: 'anon-1', name: 'Pricing', properties: { url: 'https://s.example/pricing' } })
    analytics.group({ userId: 'u1', groupId: 'acme', traits: { name: 'Acme' } })
    analytics.alias({ userId: 'u1', previousId: 'anon-1' })
    analytics.screen({ userId: 'u1', name: 'Home' })
    const errors: unknown[] = []
    analytics.on('error', (error) => errors.push(error))
    await analytics.closeAndFlush()
    await server.close()

    expect(errors).toEqual([])
    const events = await readLines(dataDir)
    expect(events.map((e) => e.type).sort()).toEqual(['alias', 'group', 'identify', 'page', 'screen', 'track'])
    expect(new Set(events.map((e) => e.messageId)).size).toBe(6)
    // Its own agent (analytics-node-next) names the library, not a visitor: no line is flagged as a bot's.
    expect(events.map((e) => e.context.bot ?? false)).toEqual([false, false, false, false, false, false])
    expect(events.find((e) => e.type === 'track')).toMatchObject({
      event: 'Order Completed',
      userId: 'u1',
      writeKey: 'server-key',
      properties: { order_id: 'o1', total: 42.5, currency: 'EUR' },
      context: { library: { name: '@segment/analytics-node' } },
    })
    expect(events.find((e) => e.type === 'identify')).toMatchObject({ traits: { email: 'ada@example.com' } })
    expect(events.find((e) => e.type === 'alias')).toMatchObject({ previousId: 'anon-1', userId: 'u1' })
  })

  it("has the secrets of the URLs it sends redacted before they are written, as a browser's", async () => {
    const { app, sink, dataDir } = await testApp()
    const server = await startServer({ app, sink, port: 0, hostname: '127.0.0.1' })
    const analytics = new Analytics({ writeKey: 'server-key', host: server.url, maxRetries: 2 })
    analytics.page({
      anonymousId: 'anon-2',
      name: 'Reset',
      properties: {
        url: 'https://s.example/reset?token=t0k3n&step=2',
        referrer: 'https://mail.example/?to=ada@example.com',
      },
    })
    await analytics.closeAndFlush()
    await server.close()

    const [line] = await readLines(dataDir)
    expect(line!.properties).toMatchObject({
      url: 'https://s.example/reset?token=redacted&step=2',
      referrer: 'https://mail.example/?to=redacted',
    })
    expect(JSON.stringify(line)).not.toMatch(/t0k3n|ada@example\.com/)
  })
})
