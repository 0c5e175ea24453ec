import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { limits } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { linesOfBatch, origin, readLines, testApp, writeKey } from '../../../../test/support/helpers.js'
import { headerFactsAllowance } from '../../src/derive/header-facts-bytes.js'
import { campaignShare } from '../../src/derive/visits.js'

async function bytesIn(dir: string) {
  let total = 0
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (entry.isFile() && entry.name.includes('.ndjson')) total += (await stat(join(entry.parentPath, entry.name))).size
  }
  return total
}

const tiny = { type: 'page', anonymousId: 'a' }
/** A query naming a campaign whose source, medium and name are each `value`. */
const campaignQuery = (value: string) => `utm_source=${value}&utm_medium=${value}&utm_campaign=${value}`
// Requests a stranger can send, each built to make the collector write as much as it can.
const requests: Record<string, object> = {
  'a 450 KB batch context over 1,000 tiny events': {
    writeKey,
    context: { pad: 'x'.repeat(450_000) },
    batch: Array.from({ length: 1000 }, () => tiny),
  },
  'a 45 KB batch context over 100 tiny events': {
    writeKey,
    context: { pad: 'x'.repeat(45_000) },
    batch: Array.from({ length: 100 }, () => tiny),
  },
  '2,500 numbers for events': { writeKey, batch: Array.from({ length: 2500 }, () => 1) },
  '2,500 events without a name': {
    writeKey,
    batch: Array.from({ length: 2500 }, () => ({ type: 'track', anonymousId: 'a' })),
  },
  '100 refused events of 4 KB': {
    writeKey,
    batch: Array.from({ length: 100 }, () => ({
      type: 'track',
      anonymousId: 'a',
      properties: { pad: 'y'.repeat(4000) },
    })),
  },
  '2,500 tiny events': { writeKey, batch: Array.from({ length: 2500 }, () => tiny) },
  // `redacted` is longer than what it replaces, and a page's URL is copied into its query and its properties.
  '1,000 page views whose URLs are all parameters to redact': {
    writeKey,
    batch: Array.from({ length: 1000 }, () => ({ ...tiny, context: { page: { url: `?${'&=@'.repeat(60)}` } } })),
  },
  'a page view whose URL is 30 KB of parameters to redact': {
    writeKey,
    batch: [{ ...tiny, context: { page: { url: `?${'&=@'.repeat(10_000)}` } } }],
  },
  'one tiny event': { writeKey, batch: [tiny] },
  // Derivation copies a page's URL into its path, query and properties, and its campaign into two fields.
  'a batch context whose page URL holds 9 KB of campaign, over 2,500 page views': {
    writeKey,
    context: { page: { url: `https://shop.example/x?${campaignQuery('B'.repeat(3000))}&q=${'q'.repeat(3000)}` } },
    batch: Array.from({ length: 2500 }, (_, i) => ({ type: 'page', anonymousId: `w${i}` })),
  },
  // Each %00 (three bytes) decodes to a NUL, written as \u0000 (six), in the campaign and the first campaign.
  '15 page views whose campaign values are all %00': {
    writeKey,
    batch: Array.from({ length: 15 }, (_, i) => ({
      type: 'page',
      anonymousId: `z${i}`,
      context: { page: { url: `https://shop.example/?${campaignQuery('%00'.repeat(3500))}` } },
    })),
  },
}

// A browser's own headers, which the collector copies into every line it makes of the request.
const chrome = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 Safari/537.36',
  'sec-ch-ua': '"Chromium";v="143", "Google Chrome";v="143", "Not A(Brand";v="24"',
  'sec-ch-ua-mobile': '?0',
  'sec-ch-ua-platform': '"Linux"',
  'accept-language': 'en-GB,en;q=0.9',
}
// The longest headers of each kind a stranger can send: an 8 KB agent, eight 60-character brands, a long platform.
const longest = {
  'user-agent': `Mozilla/5.0 ${'A'.repeat(8_000)}`,
  'sec-ch-ua': Array.from({ length: 8 }, (_, i) => `"${`${i}`.padEnd(40, 'b')}";v="${'9'.repeat(12)}"`).join(', '),
  'sec-ch-ua-mobile': '?1',
  'sec-ch-ua-platform': `"${'p'.repeat(500)}"`,
  'accept-language': `${'x'.repeat(60)},en;q=0.9`,
}
// Headers count as received: the bound is on what the request sent, its headers included.
const headerBytes = (headers: Record<string, string>) =>
  Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0)

const withHeaders: Record<string, { headers: Record<string, string>; body: object }> = {
  '2,500 tiny events from a browser': { headers: chrome, body: requests['2,500 tiny events']! },
  '2,500 tiny events with an 8 KB agent and the longest client hints': {
    headers: longest,
    body: requests['2,500 tiny events']!,
  },
  '100 tiny events with an 8 KB agent and the longest client hints': {
    headers: longest,
    body: { writeKey, batch: Array.from({ length: 100 }, () => tiny) },
  },
}

describe('bytes written are bounded by bytes received', () => {
  const cases = [
    ...Object.entries(requests).map(([name, body]) => [name, { headers: {}, body }] as const),
    ...Object.entries(withHeaders),
  ]
  for (const [name, { headers, body }] of cases) {
    it(`${name}: at most ${limits.writeAmplification}× the request, beside each kept line's own fields`, async () => {
      const { app, sink, dataDir } = await testApp()
      const text = JSON.stringify(body)
      const response = await app.request('/v1/batch', { method: 'POST', body: text, headers })
      const answer = (await response.json()) as { accepted?: number }
      await sink.close()
      const events = await bytesIn(join(dataDir, 'events'))
      const rejected = await bytesIn(join(dataDir, 'rejected'))
      const accepted = answer.accepted ?? 0
      const received = text.length + headerBytes(headers)
      // Beside what was received, each kept line has its own fields: those the collector adds to every line
      // (messageId, times, nulls: under 512 bytes), a browser's usual header facts (up to 512 more) and its share
      // of its visit's campaigns (512).
      expect(events + rejected).toBeLessThanOrEqual(
        limits.writeAmplification * received + (512 + headerFactsAllowance + campaignShare) * accepted + 4096,
      )
    })
  }

  it("takes a browser's whole batch of small events: its usual headers cost the request nothing", async () => {
    const { app, sink } = await testApp()
    const batch = Array.from({ length: 20 }, () => tiny)
    const response = await app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify({ writeKey, batch }),
      headers: chrome,
    })
    expect(await response.json()).toMatchObject({ accepted: 20, rejected: [] })
    await sink.close()
  })

  it("takes a browser's whole batch: the bound refuses nothing a real page sends", async () => {
    const { app, sink } = await testApp()
    // The snippet's batch: 20 events of a page, each with its page, library and session.
    const batch = Array.from({ length: 20 }, (_, i) => ({
      type: 'track',
      event: 'Element Clicked',
      messageId: `click-${i}`,
      anonymousId: 'a-1',
      properties: { selector: 'button.add', text: 'Add' },
      context: { page: { url: 'https://shop.example/p/1' }, library: { name: 'spoor', version: '0.1.0' } },
    }))
    const response = await app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify({ writeKey, batch }),
      headers: longest,
    })
    expect(await response.json()).toMatchObject({ accepted: 20, rejected: [] })
    await sink.close()
  })

  it('says why it refused the events over the share of the headers', async () => {
    const { app, sink } = await testApp()
    const response = await app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify(requests['2,500 tiny events']),
      headers: longest,
    })
    const answer = (await response.json()) as { accepted: number; rejected: { reason: string }[] }
    expect(answer.accepted).toBeGreaterThan(0)
    expect(answer.rejected.length).toBe(2500 - answer.accepted)
    expect(answer.rejected[0]!.reason).toMatch(/agent and client hints .* more than 4 times the request/)
    await sink.close()
  })
})

describe("a visit's campaign, copied into each of its events", () => {
  it("is not copied past the allowance of a later request: one visitor's long campaign cannot multiply it", async () => {
    const { app, sink, dataDir } = await testApp()
    const post = (body: object) =>
      app.request('/v1/batch', {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { origin: 'https://shop.example' },
      })
    // The visit starts on a page with five 190-character campaign values: about 1 KB of campaign, and as much again
    // as the visitor's first campaign.
    const long = 'A'.repeat(190)
    const landing = `https://shop.example/?${campaignQuery(long)}&utm_term=${long}&utm_content=${long}`
    expect(
      await (
        await post({ writeKey, batch: [{ type: 'page', anonymousId: 'v1', context: { page: { url: landing } } }] })
      ).json(),
    ).toMatchObject({ accepted: 1 })
    // Answered once on disk: the open file's size is what the first request wrote.
    const before = await bytesIn(dataDir)
    const later = {
      writeKey,
      batch: Array.from({ length: 2500 }, () => ({ type: 'track', event: 'a', anonymousId: 'v1' })),
    }
    const text = JSON.stringify(later)
    const answer = (await (await post(later)).json()) as { accepted: number }
    expect(answer.accepted).toBe(2500)
    await sink.close()
    const lines = await readLines(dataDir)
    const visit = lines[0]!.context.session
    // Every event still names the visit, from which the campaign can be found again.
    expect(lines.slice(1).every((line) => line.context.session?.id === visit?.id)).toBe(true)
    expect(lines.slice(1).some((line) => line.context.campaign === undefined)).toBe(true)
    expect((await bytesIn(dataDir)) - before).toBeLessThanOrEqual(
      limits.writeAmplification * text.length + (512 + headerFactsAllowance + campaignShare) * answer.accepted + 4096,
    )
  })

  it("is copied into each event of a backend's batch of small events, and into a single curl's event", async () => {
    const { app, sink, dataDir } = await testApp()
    const post = (path: string, body: object) =>
      app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { origin } })
    // A visit from an ad: a click id and three utm values, about 200 bytes of campaign.
    const landing = `${origin}/?gclid=${'Cj0KCQiA'.repeat(12)}&utm_source=google&utm_medium=cpc&utm_campaign=spring_sale`
    await post('/v1/batch', {
      writeKey,
      batch: [{ type: 'page', anonymousId: 'ad', context: { page: { url: landing } } }],
    })
    const events = Array.from({ length: 100 }, (_, i) => ({
      type: 'track',
      event: 'Product Viewed',
      anonymousId: 'ad',
      messageId: `m${i}`,
    }))
    expect(await (await post('/v1/batch', { writeKey, batch: events })).json()).toMatchObject({ accepted: 100 })
    expect(await (await post('/v1/track', { writeKey, event: 'Signed Up', anonymousId: 'ad' })).json()).toMatchObject({
      accepted: 1,
    })
    await sink.close()
    const lines = await readLines(dataDir)
    expect(lines).toHaveLength(102)
    for (const line of lines) {
      expect(line.context.campaign).toMatchObject({ source: 'google', medium: 'cpc', name: 'spring_sale' })
      expect(line.context.first_campaign).toEqual(line.context.campaign)
    }
  })

  it('is copied into every event of an ordinary batch', async () => {
    const lines = await linesOfBatch(
      Array.from({ length: 20 }, (_, i) => ({
        type: i === 0 ? 'page' : 'track',
        event: i === 0 ? undefined : 'Product Viewed',
        anonymousId: 'v2',
        context: { page: { url: 'https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=spring' } },
      })),
    )
    expect(lines).toHaveLength(20)
    for (const line of lines) {
      expect(line.context.campaign).toEqual({ source: 'newsletter', medium: 'email', name: 'spring' })
      expect(line.context.first_campaign).toEqual({ source: 'newsletter', medium: 'email', name: 'spring' })
    }
  })
})

describe('the pixel writes within the bound of what it was sent', () => {
  it('a Referer whose campaign values are all %00, and a 14 KB agent cut to 512 characters', async () => {
    const { app, sink, dataDir } = await testApp()
    const referrer = `${origin}/?${campaignQuery('%00'.repeat(1500))}`
    const agent = `Mozilla/5.0 ${'\u00ff'.repeat(14_000)}`
    const url = `/p.gif?k=${writeKey}`
    const response = await app.request(url, { headers: { referer: referrer, 'user-agent': agent } })
    expect(response.status).toBe(200)
    await sink.close()
    const [line] = await readLines(dataDir)
    expect(line!.context.userAgent).toBe(agent.slice(0, 512))
    const sent = Buffer.byteLength(`http://localhost${url}`) + Buffer.byteLength(referrer) + Buffer.byteLength(agent)
    expect(await bytesIn(dataDir)).toBeLessThanOrEqual(
      limits.writeAmplification * sent + 512 + headerFactsAllowance + campaignShare,
    )
  })

  it('query values that grow once written (%00, six bytes as \\u0000) and an agent of bytes over 0x7f', async () => {
    const { app, sink, dataDir } = await testApp()
    const referrer = `${origin}/?${campaignQuery('%00'.repeat(1200))}`
    const query = `q=${'%00'.repeat(600)}`
    // Node reads a header's bytes one character each: 0xff is ÿ, written as two bytes of UTF-8.
    const agent = 'ÿ'.repeat(4000)
    const url = `/p.gif?k=${writeKey}&${query}`
    expect((await app.request(url, { headers: { referer: referrer, 'user-agent': agent } })).status).toBe(200)
    await sink.close()
    const sent = `http://localhost${url}`.length + referrer.length + agent.length
    expect(await bytesIn(dataDir)).toBeLessThanOrEqual(
      limits.writeAmplification * sent + 512 + headerFactsAllowance + campaignShare,
    )
  })
})

describe('headers are bytes received too', () => {
  it("copies the request's agent into each kept line cut to 512 characters, so a batch cannot multiply a long one", async () => {
    const { app, sink, dataDir } = await testApp()
    const agent = `Mozilla/5.0 ${'u'.repeat(8000)}`
    const text = JSON.stringify({ writeKey, batch: Array.from({ length: 20 }, () => tiny) })
    const response = await app.request('/v1/batch', { method: 'POST', body: text, headers: { 'user-agent': agent } })
    expect(await response.json()).toMatchObject({ accepted: 20 })
    await sink.close()
    const lines = await readLines(dataDir)
    expect(new Set(lines.map((line) => line.context.userAgent))).toEqual(new Set([agent.slice(0, 512)]))
  })
})
