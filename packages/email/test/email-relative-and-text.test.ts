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
import { type InstrumentOptions, instrumentEmail } from '../src/index.js'

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
