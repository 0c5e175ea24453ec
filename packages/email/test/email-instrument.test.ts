import {
  findMergeTags,
  gmailClipBytes,
  type InstrumentOptions,
  instrumentEmail,
  resolveClick,
  signLink,
} from '@spoor/email'
import { describe, expect, it } from 'vitest'
import { attributeUrls, exampleEmail, fillIn, signingKey } from '../../../test/support/email-helpers.js'

const options: InstrumentOptions = {
  campaign: 'spring-sale',
  writeKey: 'test-key',
  base: 'https://t.example.com',
  signingKey,
  recipient: '{{id}}',
  emailId: 'e1',
}
const clickPrefix = 'https://t.example.com/email/c?'

/** Where a tracked link leads once the service filled in the recipient's values. */
function destination(trackedUrl: string): string {
  const resolved = resolveClick(new URL(trackedUrl).searchParams, [signingKey])
  if (!resolved.ok) throw new Error(resolved.reason)
  return resolved.destination
}

describe('instrumentEmail', () => {
  it('tracks every http(s) link of the example email and leaves the others alone, saying why', async () => {
    const { links, skipped, pixelAdded } = instrumentEmail(await exampleEmail(), options)
    expect(links).toEqual([
      {
        linkId: 'logo',
        url: 'http://localhost:8787/?utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale',
        count: 1,
      },
      // The Outlook (VML) button and the HTML button lead to the same place: one destination, two links.
      {
        linkId: '1',
        url: 'http://localhost:8787/product.html?id=pot-01&utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale',
        count: 2,
      },
      {
        linkId: '2',
        url: 'http://localhost:8787/product.html?id=tea-01&utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale',
        count: 1,
      },
      {
        linkId: '3',
        url: 'http://localhost:8787/product.html?id=cup-01&utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale&ref={{id}}',
        count: 1,
      },
    ])
    expect(skipped).toEqual([
      { url: 'mailto:hello@shop.example?subject=Spring%20sale', reason: 'mailto: link' },
      { url: 'tel:+441234567890', reason: 'tel: link' },
      { url: 'http://localhost:8787/unsubscribe?list=news&u={{id}}', reason: 'marked data-spoor-skip' },
      { url: '{{preferences_url}}', reason: 'merge tag: the sending service fills it in' },
      { url: '#top', reason: 'anchor' },
    ])
    expect(pixelAdded).toBe(true)
  })

  it('changes nothing but the tracked hrefs and the pixel: every other byte, merge tags included, is kept', async () => {
    const original = await exampleEmail()
    const { html } = instrumentEmail(original, options)
    const pixel = /<img src="https:\/\/t\.example\.com\/email\/o\.gif\?[^"]*"[^>]*>/.exec(html)![0]
    // The pixel comes first in the body (Gmail clips long messages at the end).
    expect(html).toContain('<body style="margin:0;padding:0;background:#f4f1ea;">' + pixel + '\n')
    const tracked = /href="https:\/\/t\.example\.com\/email\/c\?[^"]*"/g
    const originals = /href=("http:\/\/localhost:8787\/(?!unsubscribe)[^"]*"|'http:\/\/localhost:8787\/[^']*')/g
    expect(html.replace(pixel, '').replace(tracked, 'href=X')).toBe(original.replace(originals, 'href=X'))
    for (const tag of ['{{first_name}}', '*|COUPON|*', '{{preferences_url}}']) {
      expect(html.split(tag).length, tag).toBe(original.split(tag).length)
    }
    // The recipient's tag is in the pixel and in every tracked link, raw, for the service to fill in.
    expect(pixel).toContain('&amp;r={{id}}"')
    for (const url of attributeUrls(html, 'href').filter((u) => u.startsWith(clickPrefix)))
      expect(url).toMatch(/&v=2&r=\{\{id\}\}(&t=[^&]*)*$/)
  })

  it('makes links that lead, once filled in, where the sender wrote, merge tags in the destination included', async () => {
    const { html } = instrumentEmail(await exampleEmail(), options)
    const filled = fillIn(html, { id: 'r-42', first_name: 'Ada' })
    const destinations = attributeUrls(filled, 'href')
      .filter((u) => u.startsWith(clickPrefix))
      .map(destination)
    expect(destinations).toEqual([
      'http://localhost:8787/?utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale',
      'http://localhost:8787/product.html?id=pot-01&utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale',
      'http://localhost:8787/product.html?id=pot-01&utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale',
      'http://localhost:8787/product.html?id=tea-01&utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale',
      'http://localhost:8787/product.html?id=cup-01&utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale&ref=r-42',
    ])
    const [pixel] = attributeUrls(filled, 'src').filter((u) => u.includes('/email/o.gif'))
    expect(Object.fromEntries(new URL(pixel!).searchParams)).toEqual({
      k: 'test-key',
      c: 'spring-sale',
      m: 'e1',
      n: 'Spring tea sale: 20% off teaware',
      // The recipient as written, which the signature covers; then as the service filled it in.
      p: '{{id}}',
      s: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      r: 'r-42',
    })
  })

  it('keeps Mailchimp and Mailgun merge tags byte for byte too', () => {
    for (const tag of ['*|UNIQID|*', '%recipient.id%', '{{{ user.id }}}']) {
      const { html } = instrumentEmail(`<p><a href="https://shop.example/?u=${tag}">Shop</a></p>`, {
        ...options,
        recipient: tag,
      })
      const [link] = attributeUrls(html, 'href')
      expect(link, tag).toContain(`&r=${tag}&t=${tag}`)
      expect(findMergeTags(html).map((t) => t.text)).toEqual([tag, tag, tag])
      const filled = html.replaceAll(tag, 'abc')
      expect(destination(attributeUrls(filled, 'href')[0]!)).toBe('https://shop.example/?u=abc')
    }
  })

  it('keeps the merge tags of Klaviyo, Braze and Salesforce Marketing Cloud for the service to fill in too', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Braze's own syntax, not a template string
    const tags = ["{% coupon_code 'WELCOME' %}", '{{${user_id}}}', '%%_subscriberkey%%', '%%=v(@id)=%%']
    for (const tag of tags) {
      const { html } = instrumentEmail(`<p><a href="https://shop.example/?u=${tag}">Shop</a></p>`, {
        ...options,
        recipient: tag,
      })
      const [link] = attributeUrls(html, 'href')
      // Each tag once in `t` and once in `r`, as written: where the service fills it in, per recipient.
      expect(link, tag).toContain(`&r=${tag}&t=${tag}`)
      const filled = html.replaceAll(tag, 'abc')
      expect(destination(attributeUrls(filled, 'href')[0]!), tag).toBe('https://shop.example/?u=abc')
      expect(new URL(attributeUrls(filled, 'src')[0]!).searchParams.get('r'), tag).toBe('abc')
    }
  })

  it('leaves alone, byte for byte, a link whose destination holds template logic', () => {
    const html = [
      `<a href="https://shop.example/{% if person.vip %}vip{% else %}sale{% endif %}?utm_source=klaviyo">Klaviyo</a>`,
      `<a href="https://shop.example/{{#if vip}}vip{{else}}sale{{/if}}">SendGrid</a>`,
      `<a href="https://shop.example/?g=*|IF:VIP|*vip*|ELSE:|*all*|END:IF|*">Mailchimp</a>`,
      `<a href="https://shop.example/{%- for i in items -%}{{ i.id }},{%- endfor -%}">Liquid loop</a>`,
    ].join('\n')
    const { html: out, links, skipped } = instrumentEmail(html, options)
    expect(links).toEqual([])
    expect(skipped.map((s) => s.reason)).toEqual(
      Array(4).fill('template logic ({% if %}, {{#if}}, *|IF:|*) in the link: put it around whole links instead'),
    )
    expect(out.replace(/<img [^>]*>/, '')).toBe(html)
  })

  it('leads a link signed before SFMC, Klaviyo and Braze tags were read as tags where it led then', () => {
    // Signed with the destination as written, and a `t` for the {{id}} only: what such a link carries.
    const url = 'https://shop.example/?sk=%%_subscriberkey%%&ref={{id}}'
    const fields = { writeKey: 'test-key', campaignId: 'spring-sale', emailId: 'e1', linkId: '1', url }
    const query = new URLSearchParams({ k: 'test-key', c: 'spring-sale', m: 'e1', l: '1', u: url })
    query.set('s', signLink(signingKey, fields))
    query.append('t', 'r-42')
    expect(resolveClick(query, [signingKey])).toMatchObject({
      ok: true,
      destination: 'https://shop.example/?sk=%%_subscriberkey%%&ref=r-42',
    })
  })

  it('reads hrefs as a browser does: any quoting, entities, case, surrounding spaces', () => {
    const html = [
      `<a href=https://a.example/x?p=1>unquoted</a>`,
      `<A HREF='https://b.example/?a=1&amp;b=2&#x26;c=3'>single quotes, entities</A>`,
      `<a href="  HTTPS://C.example/Path  ">mixed-case scheme, spaces</a>`,
      `<a class="btn" href = "http://d.example/#frag" target="_blank">spaces around =</a>`,
    ].join('\n')
    const { html: out, links } = instrumentEmail(html, options)
    expect(links.map((l) => l.url)).toEqual([
      'https://a.example/x?p=1',
      'https://b.example/?a=1&b=2&c=3',
      'HTTPS://C.example/Path',
      'http://d.example/#frag',
    ])
    expect(attributeUrls(out, 'href').map(destination)).toEqual([
      'https://a.example/x?p=1',
      'https://b.example/?a=1&b=2&c=3',
      'https://c.example/Path',
      'http://d.example/#frag',
    ])
    expect(out).toContain('<a class="btn" href = "https://t.example.com/email/c?')
    expect(out).toContain('target="_blank">spaces around =</a>')
  })

  it('leaves alone what is not a followable http(s) link', () => {
    const html = [
      `<!-- <a href="https://commented.example/">old</a> -->`,
      `<style>a[href="https://style.example/"] { color: red }</style>`,
      `<a href="javascript:alert(1)">js</a><a href="JavaScript:void(0)">js</a><a href="data:text/html,hi">data</a>`,
      `<a href="/relative">relative</a><a href="//protocol-relative.example/">pr</a><a name="anchor">no href</a>`,
      `<a href="https://{{subdomain}}.shop.example/">host from a tag</a><a href="https://shop.example:{{port}}/">port</a>`,
      `<a href="https://t.example.com/email/c?k=x&amp;s=y">already tracked</a>`,
    ].join('\n')
    const { html: out, links, skipped } = instrumentEmail(html, options)
    expect(links).toEqual([])
    expect(skipped.map((s) => s.reason)).toEqual([
      'javascript: link',
      'javascript: link',
      'data: link',
      'relative link',
      'relative link',
      'merge tag in the scheme, host or port: cannot be signed',
      'merge tag in the scheme, host or port: cannot be signed',
      'already tracked',
    ])
    expect(out.replace(/<img [^>]*>/, '')).toBe(html)
  })

  it('tracks the links Outlook renders in conditional comments', () => {
    const html = `<body><!--[if mso]><v:roundrect href="https://shop.example/o">Outlook</v:roundrect><![endif]-->
<!--[if !mso]><!--><a href="https://shop.example/o">Others</a><!--<![endif]--></body>`
    const { html: out, links } = instrumentEmail(html, options)
    expect(links).toEqual([{ linkId: '1', url: 'https://shop.example/o', count: 2 }])
    expect(attributeUrls(out, 'href').every((u) => u.startsWith(clickPrefix))).toBe(true)
  })

  it('is idempotent: instrumenting the output again changes nothing', async () => {
    const once = instrumentEmail(await exampleEmail(), options)
    const twice = instrumentEmail(once.html, options)
    expect(twice.html).toBe(once.html)
    expect(twice.pixelAdded).toBe(false)
    expect(twice.links).toEqual([])
  })

  it('puts the pixel first when there is no body tag, and names the email by its content unless told', () => {
    const a = instrumentEmail('<p>Hello</p>', { ...options, emailId: undefined, recipient: undefined })
    expect(a.html).toMatch(
      /^<img src="https:\/\/t\.example\.com\/email\/o\.gif\?k=test-key&amp;c=spring-sale&amp;m=[0-9a-f]{10}&amp;s=[\w-]{43}" [^>]*><p>Hello<\/p>$/,
    )
    expect(instrumentEmail('<p>Hello</p>', options).emailId).toBe('e1')
    expect(instrumentEmail('<p>Hello!</p>', { ...options, emailId: undefined }).emailId).not.toBe(a.emailId)
  })

  it('warns when tracking takes a newsletter past the size at which Gmail clips it', () => {
    // A 98 KB newsletter of 220 stories, each with its link: under Gmail's limit as written.
    const story = (i: number) =>
      `<tr><td><h2>Story ${i}</h2><p>${'Lorem ipsum dolor sit amet. '.repeat(11)}</p>` +
      `<a href="https://news.example.com/2026/12/story-${i}?utm_source=newsletter&amp;utm_medium=email">Read more</a></td></tr>\n`
    const html = `<html><body><table>${Array.from({ length: 220 }, (_, i) => story(i)).join('')}</table></body></html>`
    expect(Buffer.byteLength(html)).toBeLessThan(gmailClipBytes)
    const big = instrumentEmail(html, options)
    expect(big.bytes).toEqual({ before: Buffer.byteLength(html), after: Buffer.byteLength(big.html) })
    expect(big.bytes.after).toBeGreaterThan(gmailClipBytes)
    expect(big.warnings).toEqual([
      expect.stringMatching(/^the HTML is \d+\.\d KB \(\d+\.\d KB before tracking\): Gmail clips/),
    ])
    expect(instrumentEmail(html.slice(0, 20_000), options).warnings).toEqual([])
  })

  it('gives the AMP part of a mail an amp-img pixel, since AMP for Email allows no img', () => {
    for (const marker of ['⚡4email', 'amp4email']) {
      const amp = `<!doctype html><html ${marker} data-css-strict><head><meta charset="utf-8">
<script async src="https://cdn.ampproject.org/v0.js"></script><style amp4email-boilerplate>body{visibility:hidden}</style>
</head><body><p>Hi</p><a href="https://shop.example/amp">Shop</a></body></html>`
      const { html, links } = instrumentEmail(amp, options)
      expect(html, marker).not.toMatch(/<img\b/)
      expect(html, marker).toMatch(
        /<body><amp-img src="https:\/\/t\.example\.com\/email\/o\.gif\?[^"]*" width="1" height="1" alt="" layout="fixed"><\/amp-img><p>/,
      )
      expect(links.map((l) => l.url)).toEqual(['https://shop.example/amp'])
      expect(instrumentEmail(html, options).html, 'idempotent').toBe(html)
    }
  })

  it('never puts the pixel before the doctype, the html tag or the head of a document without a body tag', () => {
    const pixel = /<img src="https:\/\/t\.example\.com\/email\/o\.gif\?[^"]*" [^>]*>/
    const cases = [
      [
        '<!DOCTYPE html>\n<html><head><title>Hi</title></head>\n<table><tr><td>Hi</td></tr></table></html>',
        '<!DOCTYPE html>\n<html><head><title>Hi</title></head>PIXEL\n<table><tr><td>Hi</td></tr></table></html>',
      ],
      ['<!doctype html><html lang="en"><p>Hi</p></html>', '<!doctype html><html lang="en">PIXEL<p>Hi</p></html>'],
      ['<!DOCTYPE html>\n<p>Hi</p>', '<!DOCTYPE html>PIXEL\n<p>Hi</p>'],
    ]
    for (const [html, expected] of cases) {
      expect(instrumentEmail(html!, options).html.replace(pixel, 'PIXEL')).toBe(expected)
    }
  })

  it('refuses what it cannot sign with a readable reason', () => {
    expect(() => instrumentEmail('', { ...options, signingKey: 'short' })).toThrow(
      'the signing key must be 32 characters or more',
    )
    expect(() => instrumentEmail('', { ...options, base: 't.example.com' })).toThrow(
      `the base "t.example.com" must be the collector's address`,
    )
    expect(() => instrumentEmail('', { ...options, campaign: '' })).toThrow('a campaign id is needed')
    // The plain-text alternative, given by mistake: an <img> tag would be its first line.
    const text = 'Hi *|FNAME|*,\nShop the sale: https://shop.example/spring\nUnsubscribe: *|UNSUB|*\n'
    expect(() => instrumentEmail(text, options)).toThrow('this looks like the plain-text part')
  })
})
