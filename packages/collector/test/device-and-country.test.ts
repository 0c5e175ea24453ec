import { Analytics } from '@segment/analytics-node'
import { eventLineSchema } from '@spoor/protocol'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { basic, linesOfBatch, readLines, testApp } from '../../../test/support/helpers.js'
import { parseConfig, startServer } from '../src/index.js'

const iphoneSafari =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'
const linuxFirefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'

/** Posts `events` from a browser at `ip` with these headers; returns the lines written. */
const collect = (ip: string, events: object[], headers: Record<string, string> = {}) =>
  linesOfBatch(events, headers, { clientIp: () => ip })

describe('the country, browser, OS and device type of an event', () => {
  it('come from the full address and the agent, and only the masked address is written', async () => {
    const lines = await collect('193.99.144.80', [
      { type: 'page', anonymousId: 'a', context: { userAgent: iphoneSafari } },
      { type: 'track', event: 'Product Viewed', anonymousId: 'a', context: { userAgent: iphoneSafari } },
    ])
    for (const line of lines) {
      expect(line.context).toMatchObject({
        ip: '193.99.0.0',
        location: { country: 'DE' },
        browser: { name: 'Safari', version: '17' },
        os: { name: 'iOS', version: '17.4' },
        device: { type: 'mobile' },
      })
      expect(JSON.stringify(line)).not.toContain('193.99.144.80')
    }
    const validate = new Ajv2020({ strict: false }).compile(eventLineSchema)
    for (const line of lines) expect(validate(line), JSON.stringify(validate.errors)).toBe(true)
  })

  it('name the region and city where the city set is installed, and only the country under GPC minimize', async () => {
    const page = { type: 'page', anonymousId: 'a', context: { userAgent: iphoneSafari } }
    const [line] = await collect('193.99.144.80', [page])
    expect(line!.context.location).toEqual({ country: 'DE', region: 'Lower Saxony', city: expect.any(String) })
    expect(JSON.stringify(line)).not.toMatch(/latitude|longitude|52\.3/)
    const [minimized] = await collect('193.99.144.80', [page], { 'sec-gpc': '1' })
    expect(minimized!.context).toMatchObject({ gpc: true, location: { country: 'DE' } })
    expect(minimized!.context.location).toEqual({ country: 'DE' })
  })

  it('take an IPv6 client’s country, and the request’s agent when the event has none', async () => {
    const [line] = await collect('2003::1', [{ type: 'page', anonymousId: 'a' }], { 'user-agent': linuxFirefox })
    expect(line!.context).toMatchObject({
      ip: '2003::',
      location: { country: 'DE' },
      browser: { name: 'Firefox', version: '128' },
      os: { name: 'Linux' },
      device: { type: 'desktop' },
    })
  })

  it('name no country for a private address, and no OS or device for a crawler', async () => {
    const [line] = await collect('192.168.1.20', [
      { type: 'page', anonymousId: 'a', context: { userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1)' } },
    ])
    expect(line!.context.location).toBeUndefined()
    expect(line!.context.os).toBeUndefined()
    expect(line!.context.device).toBeUndefined()
    expect(line!.context.bot).toBe(true)
  })

  it('fall back on client hints where there is no agent', async () => {
    const [line] = await collect('81.2.69.160', [{ type: 'page', anonymousId: 'a' }], {
      'sec-ch-ua': '"Google Chrome";v="143", "Chromium";v="143", "Not A(Brand";v="24"',
      'sec-ch-ua-mobile': '?1',
      'sec-ch-ua-platform': '"Android"',
    })
    expect(line!.context).toMatchObject({
      location: { country: 'GB' },
      browser: { name: 'Google Chrome', version: '143' },
      os: { name: 'Android' },
      device: { type: 'mobile' },
    })
  })

  it("fill a browser or OS the event names nothing for, as RudderStack's browser SDK sends one", async () => {
    // @rudderstack/analytics-js puts os: {name: "", version: ""} on every event: kept, its visitors had a blank OS.
    const [line] = await collect(
      '81.2.69.160',
      [{ type: 'page', anonymousId: 'a', context: { os: { name: '', version: '' }, browser: {} } }],
      { 'user-agent': linuxFirefox },
    )
    expect(line!.context).toMatchObject({ os: { name: 'Linux' }, browser: { name: 'Firefox', version: '128' } })
  })

  it('keep what a server-side library sent, and add what it left out', async () => {
    const { app, sink, dataDir } = await testApp({ clientIp: () => '127.0.0.1' })
    const server = await startServer({ app, sink, port: 0, hostname: '127.0.0.1' })
    const analytics = new Analytics({ writeKey: 'server-key', host: server.url, flushAt: 2, maxRetries: 2 })
    // A backend passing on its visitor's address and agent, with what its app knows of the device.
    analytics.track({
      userId: 'u1',
      event: 'Order Completed',
      context: {
        ip: '193.99.144.80',
        userAgent: iphoneSafari,
        os: { name: 'iPadOS', version: '18.1' },
        device: { type: 'ios', model: 'iPad14,1' },
        location: { country: 'Austria', city: 'Vienna' },
      },
    })
    analytics.track({ userId: 'u1', event: 'Signed In', context: { ip: '81.2.69.160', userAgent: iphoneSafari } })
    await analytics.closeAndFlush()
    await server.close()
    const lines = await readLines(dataDir)
    const order = lines.find((l) => l.event === 'Order Completed')!
    // A sender's own location is kept as sent: no region or city of another source beside its city.
    expect(order.context.location).toEqual({ country: 'Austria', city: 'Vienna' })
    expect(order.context).toMatchObject({
      os: { name: 'iPadOS', version: '18.1' },
      device: { type: 'ios', model: 'iPad14,1' },
      location: { country: 'Austria', city: 'Vienna' },
      browser: { name: 'Safari', version: '17' },
      ip: '193.99.0.0',
    })
    // The visitor's address a backend sent names the country, not the backend's own (127.0.0.1 has none).
    expect(lines.find((l) => l.event === 'Signed In')!.context).toMatchObject({
      location: { country: 'GB' },
      os: { name: 'iOS' },
      device: { type: 'mobile' },
    })
  })
})

describe('the address a backend passes on', () => {
  it('is read before it is masked: two visitors of one /16 each get their country and their own visitor hash', async () => {
    const config = parseConfig({ sites: [{ writeKey: 'server-key', origins: [], visitorHash: true }] })
    const { app, sink, dataDir } = await testApp({ config, clientIp: () => '127.0.0.1' })
    const order = (ip: string) => ({
      type: 'track',
      event: 'Order Completed',
      userId: ip,
      context: { ip, userAgent: iphoneSafari },
    })
    const response = await app.request('/v1/batch', {
      method: 'POST',
      headers: { authorization: basic('server-key') },
      body: JSON.stringify({ batch: [order('81.2.69.160'), order('81.2.69.161')] }),
    })
    expect(response.status).toBe(200)
    await sink.close()
    const lines = await readLines(dataDir)
    expect(lines.map((l) => [l.context.ip, (l.context.location as { country: string }).country])).toEqual([
      ['81.2.0.0', 'GB'],
      ['81.2.0.0', 'GB'],
    ])
    // Hashed from the masked address, both would be one visitor.
    expect(lines[0]!.context.visitor_hash).not.toBe(lines[1]!.context.visitor_hash)
  })
})
