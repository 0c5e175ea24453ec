import { signLink } from '@spoor/email'
import { createMetrics } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { emailApp, oldKey, signingKey, trackedLink } from '../../../test/support/email-helpers.js'
import { readLines, writeKey } from '../../../test/support/helpers.js'

const shop = 'https://shop.example/spring?ref=mail'

/** A click link for `url` whose signature was made over `signedUrl` (and other fields as given). */
function forged(
  url: string,
  { signedUrl = url, key = signingKey, signature }: { signedUrl?: string; key?: string; signature?: string } = {},
) {
  const fields = { writeKey, campaignId: 'spring', emailId: 'e1', linkId: '1', url: signedUrl }
  const s = signature ?? signLink(key, fields)
  return `/email/c?k=${writeKey}&c=spring&m=e1&l=1&u=${encodeURIComponent(url)}&s=${encodeURIComponent(s)}&r=r-1`
}

async function expectNoRedirect(app: Awaited<ReturnType<typeof emailApp>>['app'], path: string) {
  const response = await app.request(path)
  expect(response.status, path).toBe(404)
  expect(response.headers.get('location'), path).toBeNull()
  expect(await response.text()).toBe('Not found')
}

describe('the click route is no open redirect', () => {
  const targets = [
    '//evil.example',
    '\\\\evil.example',
    '/%2F%2Fevil.example',
    'https:evil.example',
    '//evil.example/%2F..',
    'javascript:alert(document.domain)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'HtTpS://evil.example/',
    'https://evil.example/',
    'https://shop.example@evil.example/',
    'https://shop.example.evil.example/',
  ]

  it('answers 404, with no Location, for every destination it did not sign', async () => {
    const metrics = createMetrics()
    const { app } = await emailApp({ metrics })
    const legit = signLink(signingKey, { writeKey, campaignId: 'spring', emailId: 'e1', linkId: '1', url: shop })
    for (const target of targets) {
      // No signature, a signature over another URL (the shop's), and a made-up one.
      await expectNoRedirect(app, `/email/c?k=${writeKey}&c=spring&m=e1&l=1&u=${encodeURIComponent(target)}`)
      await expectNoRedirect(app, forged(target, { signature: legit }))
      await expectNoRedirect(app, forged(target, { signature: 'A'.repeat(43) }))
    }
    expect(metrics.get('email_click_refused')).toBe(targets.length * 3)
  })

  it('reuses no valid signature for another URL, another link, campaign, email or site', async () => {
    const { app } = await emailApp()
    const good = new URL('http://x' + trackedLink(shop)).searchParams
    const swap = (name: string, value: string) => {
      const query = new URLSearchParams(good)
      query.set(name, value)
      return '/email/c?' + query.toString()
    }
    expect((await app.request('/email/c?' + good.toString())).status).toBe(302)
    for (const [name, value] of [
      ['u', 'https://evil.example/'],
      ['u', shop + '&x=1'],
      ['u', shop.replace('https:', 'http:')],
      ['l', '2'],
      ['c', 'autumn'],
      ['m', 'e2'],
      ['k', 'server-key'],
    ] as const) {
      await expectNoRedirect(app, swap(name, value))
    }
  })

  it('refuses truncated, extended and altered signatures, and one from a removed key', async () => {
    const removed = 'removed-key-0123456789abcdefghijklmnopq'
    const { app } = await emailApp()
    const signature = signLink(signingKey, { writeKey, campaignId: 'spring', emailId: 'e1', linkId: '1', url: shop })
    for (const bad of [
      signature.slice(0, 42),
      signature.slice(0, 10),
      signature + 'A',
      signature + signature,
      '',
      signature.toLowerCase(),
    ]) {
      await expectNoRedirect(app, forged(shop, { signature: bad }))
    }
    await expectNoRedirect(app, forged(shop, { key: removed }))
    // …while the current and the previous key are both honoured (rotation).
    for (const key of [signingKey, oldKey]) {
      const response = await app.request(forged(shop, { key }))
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toMatch(
        /^https:\/\/shop\.example\/spring\?ref=mail&spoor_c=[0-9a-f-]{36}$/,
      )
    }
  })

  it('refuses repeated parameters instead of guessing which one was signed', async () => {
    const { app } = await emailApp()
    const path = trackedLink(shop)
    for (const extra of ['&u=https%3A%2F%2Fevil.example%2F', '&s=' + 'A'.repeat(43), '&k=other', '&r=r-2']) {
      await expectNoRedirect(app, path + extra)
    }
  })

  it('lets the values a recipient can change alter what is recorded, never where the link leads', async () => {
    const { app, sink, dataDir } = await emailApp()
    const url = 'https://shop.example/p/{{slug}}?ref={{id}}#{{frag}}'
    // The signed part of the link; the merge-tag values (t) and the recipient (r) follow it.
    const base = trackedLink(url, { recipient: '{{id}}' }).split('&r=')[0]!
    const attempts = [
      '//evil.example',
      '@evil.example',
      '../../..//evil.example',
      'x?next=https://evil.example',
      '%2F%2Fevil.example',
      'javascript:alert(1)',
      '\\\\evil.example',
    ]
    for (const value of attempts) {
      const v = encodeURIComponent(value)
      const response = await app.request(`${base}&r=${v}&t=${v}&t=${v}&t=${v}`)
      expect(response.status, value).toBe(302)
      const location = new URL(response.headers.get('location')!)
      expect(location.origin, value).toBe('https://shop.example')
      expect(location.pathname, value).toMatch(/^\/p\/[^/]*$/)
    }
    // More values than the signed link has merge tags is refused.
    await expectNoRedirect(app, `${base}&t=a&t=b&t=c&t=d`)
    await sink.close()
    const recipients = (await readLines(dataDir)).map((e) => e.properties.recipient_id)
    expect(recipients).toEqual(attempts)
  })

  it('will not sign what it would not follow', async () => {
    const { instrumentEmail } = await import('@spoor/email')
    const html = targets
      .filter((t) => !/^\s*https?:/i.test(t))
      .map((t) => `<a href="${t.replaceAll('"', '&quot;')}">x</a>`)
      .join('')
    const { links } = instrumentEmail(html, { campaign: 'c', writeKey, base: 'https://t.example.com', signingKey })
    expect(links).toEqual([])
  })
})
