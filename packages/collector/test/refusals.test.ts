import { emailRoutes, openPixelUrl } from '@spoor/email'
import { createLogger } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { basic, testApp } from '../../../test/support/helpers.js'
import { type AppServices, parseConfig } from '../src/index.js'

const signingKey = 'test-signing-key-0123456789abcdefghijkl'

const shop = 'https://shop.example'

async function setUp() {
  const lines: Record<string, unknown>[] = []
  const raw: string[] = []
  const log = createLogger((line) => {
    raw.push(line)
    lines.push(JSON.parse(line))
  })
  const config = parseConfig(
    {
      sites: [{ writeKey: 'shop-key', name: 'Leaf & Kettle', origins: [shop] }, { writeKey: 'server-key' }],
      email: { signingKeys: [signingKey] },
    },
    'spoor.config.json',
  )
  // The email routes as the CLI mounts them: their unknown keys are refused by the collector's intake.
  const routes = [(services: AppServices) => emailRoutes({ config, ...services })]
  const { app } = await testApp({ config, log, clientIp: () => '203.0.113.77', routes })
  const post = (body: object, headers: Record<string, string> = {}) =>
    app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'text/plain', ...headers },
    })
  const warnings = () => lines.filter((l) => l.level === 'warn')
  return { app, post, warnings, raw }
}

const page = { type: 'page', anonymousId: 'visitor-1', properties: { secret: 'payload-text' } }

describe('refusals of a set-up mistake', () => {
  it('logs an origin the site does not list once, with the fix, and lets the page read why', async () => {
    const { post, warnings, raw } = await setUp()
    for (let i = 0; i < 3; i++) {
      const response = await post({ writeKey: 'shop-key', batch: [page] }, { origin: 'https://www.shop.example' })
      expect(response.status).toBe(403)
      expect(response.headers.get('access-control-allow-origin')).toBe('https://www.shop.example')
      expect((await response.json()).error).toBe(
        "origin https://www.shop.example may not send with this write key: add https://www.shop.example to the origins of its site in the collector's config",
      )
    }
    expect(warnings()).toEqual([
      {
        time: expect.any(String),
        level: 'warn',
        msg: 'refused events from https://www.shop.example for site "Leaf & Kettle": add "https://www.shop.example" to "origins" of site "Leaf & Kettle" in spoor.config.json',
        reason: 'origin not allowed',
        site: 'Leaf & Kettle',
        origin: 'https://www.shop.example',
      },
    ])
    // Never the client's address nor what it sent.
    expect(raw.join('\n')).not.toMatch(/203\.0\.113|visitor-1|payload-text/)
  })

  it('logs an unknown write key once per key, from the event API, the pixel and the email routes', async () => {
    const { app, post, warnings } = await setUp()
    for (let i = 0; i < 2; i++)
      expect((await post({ writeKey: 'shop-kye', batch: [page] }, { origin: shop })).status).toBe(401)
    await post({ batch: [page] }, { authorization: basic('other-key') })
    expect((await app.request('/p.gif?k=pixel-kye&e=Open')).status).toBe(200)
    // A pixel signed for a write key no site has (a signed one: an unsigned pixel is refused before its key is read).
    const pixel = openPixelUrl(
      'http://localhost',
      { writeKey: 'mail-kye', campaignId: 'spring', emailId: 'm1', recipient: 'ada' },
      signingKey,
    )
    expect((await app.request(pixel)).status).toBe(200)
    await expect.poll(() => warnings().length).toBe(4)
    expect(warnings()).toMatchObject([
      {
        msg: 'refused events with unknown write key "shop-kye" from https://shop.example: no site in spoor.config.json has this writeKey; correct the key where the events are sent, or add a site with it',
        reason: 'unknown write key',
        writeKey: 'shop-kye',
        route: '/v1/batch',
        origin: shop,
      },
      { writeKey: 'other-key', route: '/v1/batch' },
      { writeKey: 'pixel-kye', route: '/p.gif' },
      { writeKey: 'mail-kye', route: '/email/o.gif' },
    ])
  })

  it('logs a missing write key and a preflight from an origin no site lists', async () => {
    const { app, post, warnings } = await setUp()
    expect((await post({ batch: [page] }, { origin: shop })).status).toBe(401)
    const preflight = await app.request('/v1/batch', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(403)
    expect(warnings()).toMatchObject([
      {
        reason: 'missing write key',
        msg: expect.stringContaining('refused events without a write key from https://shop.example'),
      },
      {
        reason: 'origin not allowed',
        msg: 'refused a CORS preflight from https://evil.example: no site lists it; add "https://evil.example" to "origins" of its site in spoor.config.json',
      },
    ])
  })

  it('cuts what a client chose short before logging it', async () => {
    const { post, warnings } = await setUp()
    const long = 'k'.repeat(5000)
    await post({ writeKey: long, batch: [page] }, { origin: 'https://' + 'a'.repeat(5000) + '.example' })
    const [line] = warnings()
    expect(line!.writeKey).toBe('k'.repeat(64) + '…')
    expect(JSON.stringify(line).length).toBeLessThan(800)
  })

  it("logs a site's invalid events once per reason, without their content", async () => {
    const { post, warnings, raw } = await setUp()
    const nameless = { type: 'track', anonymousId: 'visitor-1', properties: { secret: 'payload-text' } }
    for (let i = 0; i < 3; i++)
      expect((await post({ writeKey: 'server-key', batch: [nameless, nameless, page] })).status).toBe(200)
    expect(warnings()).toEqual([
      {
        time: expect.any(String),
        level: 'warn',
        msg: 'refused events of site "server-key": track needs an event name in …; the sender must fix them (each is kept with its reason under rejected/ in the data folder)',
        reason: 'invalid event',
        site: 'server-key',
        detail: 'track needs an event name in …',
      },
    ])
    expect(raw.join('\n')).not.toMatch(/visitor-1|payload-text/)
  })

  it('lets a server-only site send without an origin', async () => {
    const { post, warnings } = await setUp()
    expect((await post({ writeKey: 'server-key', batch: [page] })).status).toBe(200)
    expect(warnings()).toEqual([])
  })
})
