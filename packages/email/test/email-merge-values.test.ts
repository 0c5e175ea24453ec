import { createMetrics } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { chromeUserAgent, emailApp, pathOf, pixelPath, signingKey } from '../../../test/support/email-helpers.js'
import { readLines, writeKey } from '../../../test/support/helpers.js'
import { clickUrl, filledQuery, signLink } from '../src/index.js'

const link = 'https://shop.example/hello?name={{first_name}}&flat=*|FLAT|*&utm_source=mail'
const fields = { writeKey, campaignId: 'spring', emailId: 'e1', linkId: '1', url: link }
const headers = { 'user-agent': chromeUserAgent }

/** Plays a sending service that puts values in as they are, without URL-encoding them. */
const fillRaw = (url: string, values: Record<string, string>) =>
  url.replace(/\{\{(\w+)\}\}|\*\|(\w+)\|\*/g, (tag, a, b) => values[a ?? b] ?? tag)

/** The link as the spoor before this layout made it: the values, then the recipient, after the signature. */
const earlierLink = (recipient: string) =>
  `https://t.example.com/email/c?k=${writeKey}&c=spring&m=e1&l=1&u=${encodeURIComponent(link)}` +
  `&s=${signLink(signingKey, fields)}&t={{first_name}}&t=*|FLAT|*&r=${recipient}`

async function click(url: string) {
  const metrics = createMetrics()
  const { app, sink, dataDir } = await emailApp({ metrics })
  // app.request, like a browser, sends the address up to its first `#` and percent-encodes its spaces.
  const response = await app.request(pathOf(url), { headers })
  await sink.close()
  const location = response.headers.get('location')
  const [line] = await readLines(dataDir)
  return {
    status: response.status,
    query: location ? new URL(location).searchParams : undefined,
    recipient: line?.properties.recipient_id,
    metrics: metrics.snapshot(),
  }
}

describe('a merge value the sending service filled in unencoded', () => {
  const tracked = clickUrl('https://t.example.com', { ...fields, recipient: '{{id}}' }, signingKey)

  it('keeps a stray & in its value: the destination gets “Tom & Jerry”, not “Tom ”', async () => {
    const got = await click(fillRaw(tracked, { first_name: 'Tom & Jerry', FLAT: 'R&D', id: 'r&1' }))
    expect(got.status).toBe(302)
    expect(got.query?.get('name')).toBe('Tom & Jerry')
    expect(got.query?.get('flat')).toBe('R&D')
    expect(got.query?.get('utm_source')).toBe('mail')
    expect(got.recipient).toBe('r&1')
  })

  it('does the same for links signed before, which carried the recipient last', async () => {
    const got = await click(
      fillRaw(earlierLink('{{id}}'), { first_name: 'Tom & Jerry', FLAT: 'Bed &Breakfast', id: 'A&B' }),
    )
    expect(got.status).toBe(302)
    expect([got.query?.get('name'), got.query?.get('flat'), got.recipient]).toEqual([
      'Tom & Jerry',
      'Bed &Breakfast',
      'A&B',
    ])
    // And an earlier link filled in as it should be leads exactly where it did.
    const plain = await click(fillRaw(earlierLink('{{id}}'), { first_name: 'Ada', FLAT: '4', id: 'r-1' }))
    expect([plain.query?.get('name'), plain.query?.get('flat'), plain.recipient]).toEqual(['Ada', '4', 'r-1'])
  })

  it('reads `&name=…` after a value as a parameter, as a service appending utm_* to every link writes it', async () => {
    const got = await click(`${fillRaw(tracked, { first_name: 'Ada', FLAT: 'a&b=c', id: 'r-1' })}&utm_campaign=x`)
    expect(got.status).toBe(302)
    expect(got.query?.get('name')).toBe('Ada')
    // Indistinguishable from an appended parameter, so read as one: the value is cut there, the link still works.
    expect(got.query?.get('flat')).toBe('a')
    expect(got.recipient).toBe('r-1')
  })

  it('reads its values in the layout spoor wrote, whatever a service appends after them', async () => {
    const got = await click(`${fillRaw(tracked, { first_name: 'Ada', FLAT: '4', id: 'r-1' })}&v=1&utm_source=x`)
    expect(got.status).toBe(302)
    expect([got.query?.get('name'), got.query?.get('flat'), got.recipient]).toEqual(['Ada', '4', 'r-1'])
  })

  it('loses what follows a #, which a browser never sends: the link still leads there, the recipient kept', async () => {
    const got = await click(fillRaw(tracked, { first_name: 'Flat #4', FLAT: 'B', id: 'r-1' }))
    expect(got.status).toBe(302)
    expect(got.query?.get('name')).toBe('Flat ')
    expect(got.query?.get('flat')).toBe('')
    expect(got.query?.get('utm_source')).toBe('mail')
    expect(got.recipient).toBe('r-1')
    expect(got.metrics).toMatchObject({ email_click_values_cut: 1 })
  })
})

describe('a + or %xx in a value the sending service filled in', () => {
  const tracked = clickUrl('https://t.example.com', { ...fields, recipient: '{{id}}' }, signingKey)
  const values = { first_name: 'C++', FLAT: '50% off', id: 'ada+news@example.com' }
  const encoded = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, encodeURIComponent(value)]))

  it('reads a plus-addressed recipient and “C++” filled in raw as written, and the destination gets them', async () => {
    const got = await click(fillRaw(tracked, values))
    expect(got.status).toBe(302)
    expect(got.recipient).toBe('ada+news@example.com')
    expect([got.query?.get('name'), got.query?.get('flat')]).toEqual(['C++', '50% off'])
  })

  it('reads the same values filled in URL-encoded the same way', async () => {
    const got = await click(fillRaw(tracked, encoded))
    expect(got.status).toBe(302)
    expect(got.recipient).toBe('ada+news@example.com')
    expect([got.query?.get('name'), got.query?.get('flat')]).toEqual(['C++', '50% off'])
  })

  it('does the same for links signed before, which carried the recipient last', async () => {
    for (const filled of [values, encoded]) {
      const got = await click(fillRaw(earlierLink('{{id}}'), filled))
      expect([got.status, got.recipient, got.query?.get('name')]).toEqual([302, 'ada+news@example.com', 'C++'])
    }
  })

  it('reads a + as a space after a tag that URL-encodes with Liquid’s url_encode, which writes a space so', async () => {
    const liquid = 'https://shop.example/hello?name={{ first_name | url_encode }}&raw={{ last_name }}'
    const url = clickUrl('https://t.example.com', { ...fields, url: liquid, recipient: '{{id}}' }, signingKey)
    // url_encode("Tetsuro Takara+1") is "Tetsuro+Takara%2B1".
    const filled = url
      .replace('{{ first_name | url_encode }}', 'Tetsuro+Takara%2B1')
      .replace('{{ last_name }}', 'Smith+Jones')
      .replace('{{id}}', 'ada+news@example.com')
    const got = await click(filled)
    expect(got.status).toBe(302)
    expect([got.query?.get('name'), got.query?.get('raw')]).toEqual(['Tetsuro Takara+1', 'Smith+Jones'])
    expect(got.recipient).toBe('ada+news@example.com')
  })

  it('records the open of a plus-addressed recipient filled in raw or encoded', async () => {
    for (const recipient of ['ada+news@example.com', 'ada%2Bnews%40example.com']) {
      const { app, sink, dataDir } = await emailApp()
      const response = await app.request(pixelPath({ recipient: '{{id}}' }).replace('{{id}}', recipient), { headers })
      await sink.close()
      expect(response.status).toBe(200)
      const [line] = await readLines(dataDir)
      expect(line?.properties.recipient_id).toBe('ada+news@example.com')
    }
  })

  it('decodes a raw value that looks like a percent-encoding: it cannot be told from an encoded one', () => {
    // `100%25` filled in raw reads as `100%`, as the encoding of `100%` would; a lone `%` stays.
    const query = filledQuery('https://t.example.com/email/c?v=2&r=x&t=100%25&t=100%&t=%zz+1')
    expect(query.getAll('t')).toEqual(['100%', '100%', '%zz+1'])
  })
})
