import { parseConfig } from '@spoor/collector'
import { createLogger, createMetrics } from '@spoor/log'
import { ConfigError, type EventSink, transparentGif } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { chromeUserAgent, emailApp, oldKey, pixelPath, trackedLink } from '../../../test/support/email-helpers.js'
import { alwaysReady, readLines, testApp, writeKey } from '../../../test/support/helpers.js'
import { campaignStats, emailRoutes, readEventLines } from '../src/index.js'

const failingSink: EventSink = {
  write: () => Promise.reject(new Error('ENOSPC')),
  reject: () => Promise.resolve(),
  close: () => Promise.resolve(),
  health: alwaysReady,
}
const openPath = pixelPath()

describe('GET /email/o.gif', () => {
  it('answers the 43-byte GIF, never cached, and records Email Opened with campaign, email and recipient', async () => {
    const { app, sink, dataDir } = await emailApp()
    const response = await app.request(openPath, { headers: { 'user-agent': chromeUserAgent } })
    expect(response.status).toBe(200)
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(transparentGif)
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'image/gif',
      'content-length': '43',
      'cache-control': 'no-cache, no-store, must-revalidate, max-age=0',
      pragma: 'no-cache',
      expires: '0',
    })
    await sink.close()
    const [open] = await readLines(dataDir)
    expect(open).toMatchObject({
      type: 'track',
      event: 'Email Opened',
      userId: null,
      writeKey,
      properties: {
        campaign_id: 'spring',
        email_id: 'e1',
        recipient_id: 'r-1',
        classification: 'human',
        evidence: {
          rule: 'none',
          method: 'GET',
          user_agent_pattern: null,
          seconds_since_first: null,
          address_range: null,
        },
      },
      context: { userAgent: chromeUserAgent, library: { name: 'spoor-email' } },
    })
  })

  it('always answers the image — unknown key, failing disk — and counts each failure', async () => {
    const metrics = createMetrics()
    const { app } = await emailApp({ sink: failingSink, metrics })
    for (const path of [pixelPath({ site: '' }), pixelPath({ site: 'nobody' }), openPath]) {
      const response = await app.request(path)
      expect(response.status).toBe(200)
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(transparentGif)
    }
    const head = await app.request(openPath, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe('43')
    expect((await head.arrayBuffer()).byteLength).toBe(0)
    expect(metrics.snapshot()).toEqual({ email_open_unknown_key: 2, email_open_record_failures: 2 })
  })
})

describe('the open pixel’s signature', () => {
  const person = { headers: { 'user-agent': chromeUserAgent } }
  const opens = async (dataDir: string) =>
    (await readLines(dataDir)).map((e) => [e.properties.campaign_id, e.properties.recipient_id])

  it('counts a pixel signed with any configured key, its recipient tag filled in, and nothing forged', async () => {
    const metrics = createMetrics()
    const warnings: { msg: string; campaign: string }[] = []
    const log = createLogger((line, level) => level === 'warn' && warnings.push(JSON.parse(line)))
    const { app, sink, dataDir } = await emailApp({ metrics, log })
    const tagged = pixelPath({ recipient: 'sub-{{id}}', subject: 'Spring is here' })
    const signed = [
      tagged.replace('{{id}}', 'ada'),
      pixelPath({ recipient: 'r-1', key: oldKey }),
      pixelPath({ recipient: null }),
    ]
    const forged = [
      pixelPath().replace('c=spring', 'c=autumn'),
      pixelPath().replace('m=e1', 'm=e2'),
      tagged.replace('Spring%20is%20here', 'Buy%20now').replace('{{id}}', 'ada'),
      // The recipient written out is signed: another id does not fit it, nor does text around the tag.
      pixelPath({ recipient: 'r-1' }).replace(/r=r-1$/, 'r=r-2'),
      tagged.replace('sub-{{id}}', 'bob'),
      pixelPath({ recipient: null }) + '&r=bob',
      // Not the test's key, or one parameter twice: which one was signed?
      pixelPath({ key: 'another-key-0123456789abcdefghijklmnop' }),
      pixelPath() + '&c=autumn',
    ]
    for (const path of [...signed, ...forged]) {
      const response = await app.request(path, person)
      expect(response.status).toBe(200)
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(transparentGif)
    }
    await sink.close()
    expect(await opens(dataDir)).toEqual([
      ['spring', 'sub-ada'],
      ['spring', 'r-1'],
      ['spring', null],
    ])
    expect(metrics.get('email_open_refused')).toBe(forged.length)
    expect(metrics.get('email_open_unsigned')).toBe(0)
    // A key taken out of the config refuses every pixel it signed: the operator reads why, once per campaign.
    expect(warnings.map((w) => w.campaign)).toEqual(['autumn', 'spring'])
    expect(warnings[1]!.msg).toContain(
      "its pixel's signature fails (a key it was signed with is no longer in email.signingKeys",
    )
  })

  it('counts an unsigned pixel, made before pixels were signed, only for a campaign listed as sent then', async () => {
    const metrics = createMetrics()
    const warnings: { msg: string; campaign: string }[] = []
    const log = createLogger((line, level) => level === 'warn' && warnings.push(JSON.parse(line)))
    const { app, sink, dataDir } = await emailApp({ metrics, log }, { unsignedOpenCampaigns: ['winter'] })
    const unsigned = (campaign: string) => `/email/o.gif?k=${writeKey}&c=${campaign}&m=e1&n=Hello&r=r-1`
    for (const path of [unsigned('winter'), unsigned('spring'), unsigned('spring'), unsigned('spring-sale')]) {
      expect((await app.request(path, person)).status).toBe(200)
    }
    // After an upgrade, the operator is told which campaign's opens stopped counting and how to count them: once
    // per campaign, not once per open.
    expect(warnings.map((w) => w.campaign)).toEqual(['spring', 'spring-sale'])
    expect(warnings[0]!.msg).toBe(
      'did not record an open of campaign "spring": its pixel is unsigned; if this campaign\'s mail was sent before pixels were signed, list "spring" in email.unsignedOpenCampaigns of the config',
    )
    await sink.close()
    const [winter, ...others] = await readLines(dataDir)
    expect(others).toEqual([])
    expect(winter?.properties).toMatchObject({ campaign_id: 'winter', recipient_id: 'r-1', email_subject: 'Hello' })
    expect(metrics.get('email_open_unsigned')).toBe(3)
    expect(metrics.get('email_open_refused')).toBe(0)
  })
})

describe('GET /email/c', () => {
  it('records Email Link Clicked and answers 302 to the signed destination with spoor_c = the click’s messageId', async () => {
    const { app, sink, dataDir } = await emailApp()
    const response = await app.request(trackedLink('https://shop.example/spring#top', { linkId: 'hero' }), {
      headers: { 'user-agent': chromeUserAgent },
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const location = response.headers.get('location')!
    expect(location).toMatch(/^https:\/\/shop\.example\/spring\?spoor_c=[0-9a-f-]{36}#top$/)
    await sink.close()
    const [click] = await readLines(dataDir)
    expect(click).toMatchObject({
      event: 'Email Link Clicked',
      messageId: new URL(location).searchParams.get('spoor_c'),
      properties: {
        campaign_id: 'spring',
        email_id: 'e1',
        recipient_id: 'r-1',
        link_id: 'hero',
        link_url: 'https://shop.example/spring#top',
        classification: 'human',
      },
    })
  })

  it('leads to the recipient’s own address, but writes the link it led to without their email', async () => {
    const { app, sink, dataDir } = await emailApp()
    // A Liquid link such as ?email={{ customer.email | url_encode }}, as the mail service filled it in for Ada.
    const path = trackedLink('https://shop.example/login?email={{ customer.email | url_encode }}&utm_source=braze')
    const filled = path.replace(/t=[^&]*/, `t=${encodeURIComponent('ada+news@example.com')}`)
    const response = await app.request(filled, { headers: { 'user-agent': chromeUserAgent } })
    expect(response.headers.get('location')).toMatch(
      /^https:\/\/shop\.example\/login\?email=ada%2Bnews%40example\.com&utm_source=braze&spoor_c=/,
    )
    await sink.close()
    const [click] = await readLines(dataDir)
    expect(click?.properties).toMatchObject({
      link_url: 'https://shop.example/login?email=redacted&utm_source=braze',
      link_template: 'https://shop.example/login?email={{ customer.email | url_encode }}&utm_source=braze',
    })
    expect(JSON.stringify(click)).not.toMatch(/news|%40|@example/)
  })

  it('leads to the filled-in link, but writes it with the merge tags as signed: a first name is the recipient’s', async () => {
    const { app, sink, dataDir } = await emailApp()
    const path = trackedLink('https://shop.example/spring?ref={{first_name}}&city=*|CITY|*&utm_source=mail')
    const values = ['Ada', 'Lyon']
    const filled = path.replace(/t=[^&]*/g, () => `t=${values.shift()}`)
    const response = await app.request(filled, { headers: { 'user-agent': chromeUserAgent } })
    expect(response.headers.get('location')).toMatch(
      /^https:\/\/shop\.example\/spring\?ref=Ada&city=Lyon&utm_source=mail&spoor_c=/,
    )
    await sink.close()
    const lines = await readLines(dataDir)
    expect(lines[0]?.properties).toMatchObject({
      link_url: 'https://shop.example/spring?ref={{first_name}}&city=*|CITY|*&utm_source=mail',
      link_template: 'https://shop.example/spring?ref={{first_name}}&city=*|CITY|*&utm_source=mail',
    })
    const written = JSON.stringify(lines)
    expect(written).not.toMatch(/Ada|Lyon/)
    // The report's numbers and page, read back from the same files.
    const stats = campaignStats(await readEventLines(dataDir))
    expect(stats[0]?.links.map((l) => l.linkUrl)).toEqual([
      'https://shop.example/spring?ref={{first_name}}&city=*|CITY|*&utm_source=mail',
    ])
    expect(JSON.stringify(stats)).not.toMatch(/Ada|Lyon/)
  })

  it('leads to another site exactly as the email wrote it, without the click id meant for the site’s own pages', async () => {
    const { app } = await emailApp()
    const elsewhere = 'https://twitter.com/intent/tweet?text=Spring%20sale&url=https%3A%2F%2Fshop.example%2F#share'
    const away = await app.request(trackedLink(elsewhere), { headers: { 'user-agent': chromeUserAgent } })
    expect(away.status).toBe(302)
    expect(away.headers.get('location')).toBe(elsewhere)
    const home = await app.request(trackedLink('https://shop.example/spring?utm_source=mail#top'), {
      headers: { 'user-agent': chromeUserAgent },
    })
    expect(home.headers.get('location')).toMatch(
      /^https:\/\/shop\.example\/spring\?utm_source=mail&spoor_c=[0-9a-f-]{36}#top$/,
    )
  })

  it('still leads to the destination when recording failed, without a click id, and counts it', async () => {
    const metrics = createMetrics()
    const { app } = await emailApp({ sink: failingSink, metrics })
    const response = await app.request(trackedLink('https://shop.example/?a=1'), {
      headers: { 'user-agent': chromeUserAgent },
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('https://shop.example/?a=1')
    expect(metrics.snapshot()).toEqual({ email_click_record_failures: 1 })
  })

  it('leads nowhere without signing keys in the config', async () => {
    const { app } = await testApp()
    expect((await app.request(trackedLink('https://shop.example/'))).status).toBe(404)
  })
})

describe('both routes', () => {
  it('take no cookies and set none', async () => {
    const { app, sink, dataDir } = await emailApp()
    const headers = { cookie: 'session=secret-value; _ga=GA1.2.3', 'user-agent': chromeUserAgent }
    for (const path of [openPath, trackedLink('https://shop.example/')]) {
      const response = await app.request(path, { headers })
      expect(response.headers.get('set-cookie')).toBeNull()
    }
    await sink.close()
    const lines = await readLines(dataDir)
    expect(lines).toHaveLength(2)
    expect(JSON.stringify(lines)).not.toContain('secret-value')
  })

  it('flag addresses of the configured machine ranges, and never write the address itself', async () => {
    const { app, sink, dataDir } = await emailApp(
      { clientIp: (c) => c.req.header('x-test-ip') },
      {
        machineRanges: [
          { name: 'relay (example)', cidr: '192.0.2.0/24', classification: 'apple_mpp' },
          { name: 'scanner v6', cidr: '2001:db8::/32', classification: 'scanner' },
        ],
      },
    )
    const from = (ip: string) => ({ headers: { 'user-agent': chromeUserAgent, 'x-test-ip': ip } })
    await app.request(openPath, from('192.0.2.77'))
    await app.request(openPath, from('::ffff:192.0.2.78'))
    await app.request(trackedLink('https://shop.example/'), from('2001:db8::1'))
    await app.request(openPath, from('198.51.100.7'))
    await sink.close()
    const lines = await readLines(dataDir)
    expect(
      lines.map((e) => [e.properties.classification, e.properties.evidence.address_range, e.properties.evidence.rule]),
    ).toEqual([
      ['apple_mpp', 'relay (example)', 'address_range'],
      ['apple_mpp', 'relay (example)', 'address_range'],
      ['scanner', 'scanner v6', 'address_range'],
      ['human', null, 'none'],
    ])
    expect(lines.map((e) => e.context.ip)).toEqual(['192.0.0.0', '192.0.0.0', '2001:db8::', '198.51.0.0'])
  })

  it('refuse a bad email section at start-up, naming the problem', async () => {
    const bad = [
      [{ signingKeys: 'k' }, 'email.signingKeys must be a list of keys'],
      [{ signingKeys: ['short'] }, 'email.signingKeys[0] must be a string of 32 characters or more'],
      [{ signingKeys: ['a'.repeat(32), 'a'.repeat(32)] }, 'email.signingKeys lists a key twice'],
      [
        { machineRanges: [{ name: 'x', cidr: '17.0.0.0/33', classification: 'apple_mpp' }] },
        'email.machineRanges[0].cidr "17.0.0.0/33" is not an address range',
      ],
      [
        { machineRanges: [{ name: 'x', cidr: '17.0.0.0/8', classification: 'human' }] },
        'email.machineRanges[0].classification must be one of apple_mpp, gmail_proxy, scanner, bot',
      ],
    ] as const
    for (const [email, message] of bad) {
      const config = parseConfig({ sites: [{ writeKey, origins: [] }], email })
      const mounted = () => testApp({ config, routes: [(services) => emailRoutes({ config, ...services })] })
      await expect(mounted()).rejects.toThrow(ConfigError)
      await expect(mounted()).rejects.toThrow(message)
    }
  })
})
