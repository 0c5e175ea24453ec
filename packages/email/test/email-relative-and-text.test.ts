import { describe, expect, it } from 'vitest'
import {
  attributeUrls,
  chromeUserAgent,
  emailApp,
  fillIn,
  pathOf,
  signingKey,
} from '../../../test/support/email-helpers.js'
import { readLines, writeKey } from '../../../test/support/helpers.js'
import { clickUrl, type InstrumentOptions, instrumentEmail, instrumentText } from '../src/index.js'

const options: InstrumentOptions = {
  campaign: 'spring',
  writeKey,
  base: 'https://t.example.com',
  signingKey,
  recipient: '{{id}}',
  emailId: 'e1',
}
const tracked = (html: string) => attributeUrls(html, 'href').filter((u) => u.startsWith('https://t.example.com/'))

/** Follows tracked links through a real collector; resolves to where each led and the clicks it wrote. */
async function follow(urls: string[]) {
  const { app, sink, dataDir } = await emailApp()
  const locations: (string | null)[] = []
  for (const url of urls) {
    const response = await app.request(pathOf(url), { headers: { 'user-agent': chromeUserAgent } })
    locations.push(response.headers.get('location')?.replace(/[?&]spoor_c=[^&#]*/, '') ?? null)
  }
  await sink.close()
  return { locations, clicks: await readLines(dataDir) }
}

describe('relative links under an absolute <base href>', () => {
  const html = `<html><head><base href="https://shop.example/spring/"><base href="https://ignored.example/"></head>
<body><a href="teapot?ref={{id}}">Teapot</a> <a href="/cart">Cart</a> <a href="../care guide">Care</a>
<a href="//cdn.shop.example/catalogue.pdf">Catalogue</a> <a href="#top">Top</a> <a href="mailto:hi@shop.example">Mail</a></body></html>`

  it('are tracked, resolved as the browser resolves them, merge tags kept for the service', async () => {
    const { links, skipped, html: out } = instrumentEmail(html, options)
    expect(links.map((l) => l.url)).toEqual([
      'https://shop.example/spring/teapot?ref={{id}}',
      'https://shop.example/cart',
      'https://shop.example/care%20guide',
      'https://cdn.shop.example/catalogue.pdf',
    ])
    expect(skipped.map((s) => s.reason)).toEqual(['anchor', 'mailto: link'])
    const { locations, clicks } = await follow(tracked(fillIn(out, { id: 'r-7' })))
    expect(locations).toEqual([
      'https://shop.example/spring/teapot?ref=r-7',
      'https://shop.example/cart',
      'https://shop.example/care%20guide',
      'https://cdn.shop.example/catalogue.pdf',
    ])
    expect(clicks.map((c) => [c.properties.link_id, c.properties.recipient_id])).toEqual([
      ['1', 'r-7'],
      ['2', 'r-7'],
      ['3', 'r-7'],
      ['4', 'r-7'],
    ])
  })

  it('are left alone when the base is not an absolute http(s) address the sender wrote out', () => {
    for (const base of ['/spring/', '{{shop_url}}', 'ftp://shop.example/', '']) {
      const { links, skipped } = instrumentEmail(
        `<html><head><base href="${base}"></head><body><a href="teapot">Teapot</a></body></html>`,
        options,
      )
      expect(links, base).toEqual([])
      expect(skipped, base).toEqual([{ url: 'teapot', reason: 'relative link' }])
    }
  })
})

describe('the plain-text part', () => {
  const text = `Hi {{first_name}},

Our spring sale is on: https://shop.example/spring?ref={{id}}.
Read the care guide (https://shop.example/care_(tea)) or <https://shop.example/faq>.
Your account: https://shop.example/login?next=%2Forders&email={{ customer.email | url_encode }}
Unsubscribe: *|UNSUB|*
Already: https://t.example.com/email/c?k=x&s=y
From a tag: https://{{shop_host}}/
Once more: https://shop.example/spring?ref={{id}}
`

  it('has its bare links signed and tracked, every other byte kept, and no pixel', async () => {
    const made = instrumentText(text, options)
    expect(made.links).toEqual([
      { linkId: '1', url: 'https://shop.example/spring?ref={{id}}', count: 2 },
      { linkId: '2', url: 'https://shop.example/care_(tea)', count: 1 },
      { linkId: '3', url: 'https://shop.example/faq', count: 1 },
      {
        linkId: '4',
        url: 'https://shop.example/login?next=%2Forders&email={{ customer.email | url_encode }}',
        count: 1,
      },
    ])
    expect(made.skipped).toEqual([
      { url: 'https://t.example.com/email/c?k=x&s=y', reason: 'already tracked' },
      { url: 'https://{{shop_host}}/', reason: 'merge tag in the scheme, host or port: cannot be signed' },
    ])
    const [spring, care, faq, login] = made.links.map((l) => l.url) as [string, string, string, string]
    const track = (linkId: string, url: string) =>
      clickUrl(
        options.base,
        { writeKey, campaignId: 'spring', emailId: 'e1', linkId, url, recipient: '{{id}}' },
        signingKey,
      )
    expect(made.text).toBe(
      text
        .replaceAll(spring, track('1', spring))
        .replace(care, track('2', care))
        .replace(faq, track('3', faq))
        .replace(login, track('4', login)),
    )
    expect(made.text).not.toContain('/email/o.gif')

    // The service fills in the recipient's values; the reader's mail client makes links of the addresses.
    const fill = (url: string) =>
      url.replaceAll('{{ customer.email | url_encode }}', 'ada%40example.com').replaceAll('{{id}}', 'r-9')
    const urls = [track('1', spring), track('2', care), track('3', faq), track('4', login), track('1', spring)].map(
      fill,
    )
    const { locations, clicks } = await follow(urls)
    expect(locations).toEqual([
      'https://shop.example/spring?ref=r-9',
      'https://shop.example/care_(tea)',
      'https://shop.example/faq',
      'https://shop.example/login?next=%2Forders&email=ada%40example.com',
      'https://shop.example/spring?ref=r-9',
    ])
    expect(clicks.map((c) => c.properties.recipient_id)).toEqual(['r-9', 'r-9', 'r-9', 'r-9', 'r-9'])
  })
})

describe('unsubscribe and list-management links', () => {
  const listLinks = [
    'https://shop.example/unsubscribe?list=news&u={{id}}',
    'https://us1.list-manage.com/unsubscribe/post?u=1&id=2',
    'https://shop.example/email/opt-out/{{id}}',
    'https://shop.example/account/email-preferences?e={{id}}',
    'https://u1.ct.sendgrid.net/asm/unsubscribe/?user_id=1',
    'https://shop.example/mail?action=unsubscribe&u={{id}}',
    'https://shop.example/u/{{unsubscribe_token}}',
  ]
  // What services put in their place: merge tags the service fills with its own link, never an http(s) address.
  const serviceTags = [
    '*|UNSUB|*',
    '{{unsubscribe_url}}',
    '%unsubscribe_url%',
    '[unsubscribe]',
    '<%asm_group_unsubscribe_raw_url%>',
  ]
  const marked = 'https://shop.example/leave?list=news&u={{id}}'
  const skipReason = 'unsubscribe or list-management link: left as written'

  it('are left as written in the plain-text part, as in the HTML part, and a link can be marked to skip', () => {
    const text = [
      'Shop the sale: https://shop.example/spring',
      ...listLinks.map((url) => `Stop these: ${url}`),
      ...serviceTags.map((tag) => `Or: ${tag}`),
      `Leave the list: ${marked}.`,
      'Your order: https://shop.example/orders/unsubscribed-socks',
      '',
    ].join('\n')
    const made = instrumentText(text, { ...options, skip: ['https://shop.example/leave'] })
    expect(made.links.map((l) => l.url)).toEqual([
      'https://shop.example/spring',
      'https://shop.example/orders/unsubscribed-socks',
    ])
    expect(made.skipped).toEqual([
      ...listLinks.map((url) => ({ url, reason: skipReason })),
      { url: marked, reason: 'marked to skip' },
    ])
    for (const kept of [...listLinks, ...serviceTags, `${marked}.`]) expect(made.text).toContain(`: ${kept}\n`)

    // The HTML part leaves the same links alone for the same reasons.
    const html = `<body>${[...listLinks, marked].map((url) => `<a href="${url.replaceAll('&', '&amp;')}">x</a>`).join('')}</body>`
    const email = instrumentEmail(html, { ...options, skip: ['https://shop.example/leave'] })
    expect(email.links).toEqual([])
    expect(email.skipped).toEqual(made.skipped)
  })
})
