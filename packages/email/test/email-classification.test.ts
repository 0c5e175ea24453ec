import { instrumentEmail } from '@spoor/email'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  attributeUrls,
  chromeUserAgent,
  emailApp,
  exampleEmail,
  fillIn,
  pathOf,
  signingKey,
} from '../../../test/support/email-helpers.js'
import { readLines, writeKey } from '../../../test/support/helpers.js'

const start = Date.parse('2026-03-02T09:00:00.000Z')

/** The example email as the sender instruments it, its recipient left a merge tag for each mail to fill. */
const instrumentedExample = async () =>
  instrumentEmail(await exampleEmail(), {
    campaign: 'spring-sale',
    writeKey,
    base: 'https://t.example.com',
    recipient: '{{id}}',
    emailId: 'spring-1',
    signingKey,
  })
const gmail = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)'

afterEach(() => void vi.useRealTimers())

describe('the example email, opened and clicked by people and machines', () => {
  it('records one event per request, each with the expected classification and its evidence', async () => {
    // Only Date is faked: "seconds since the first event" without waiting; the sink's timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] })
    const at = (seconds: number) => vi.setSystemTime(start + seconds * 1000)
    const { app, sink, dataDir } = await emailApp()
    const { html } = await instrumentedExample()
    const mailFor = (id: string) => {
      const filled = fillIn(html, { id, first_name: 'Ada' })
      const links = attributeUrls(filled, 'href')
        .filter((u) => u.includes('/email/c?'))
        .map(pathOf)
      const [pixel] = attributeUrls(filled, 'src')
        .filter((u) => u.includes('/email/o.gif'))
        .map(pathOf)
      return { pixel: pixel!, links }
    }
    const ada = mailFor('ada')
    const bob = mailFor('bob')
    const get = (path: string, userAgent?: string, method = 'GET') =>
      app.request(path, { method, headers: userAgent ? { 'user-agent': userAgent } : {} })

    const expected: [string, string, Record<string, unknown>][] = []
    const expectNext = (event: string, classification: string, evidence: Record<string, unknown>) =>
      void expected.push([event, classification, evidence])

    // Ada's mail: opened in a browser-based mail client, then through Gmail's proxy, Apple's relay, a HEAD check.
    at(0)
    expect((await get(ada.pixel, chromeUserAgent)).status).toBe(200)
    expectNext('Email Opened', 'human', { rule: 'none', seconds_since_first: null })
    at(2)
    await get(ada.pixel, gmail)
    expectNext('Email Opened', 'gmail_proxy', {
      rule: 'user_agent',
      user_agent_pattern: 'GoogleImageProxy',
      seconds_since_first: 2,
    })
    at(7)
    await get(ada.pixel, 'Mozilla/5.0')
    expectNext('Email Opened', 'apple_mpp', {
      rule: 'user_agent',
      user_agent_pattern: 'bare Mozilla/5.0',
      seconds_since_first: 7,
    })
    at(8)
    expect((await get(ada.pixel, chromeUserAgent, 'HEAD')).status).toBe(200)
    expectNext('Email Opened', 'scanner', { rule: 'head_request', method: 'HEAD', seconds_since_first: 8 })

    // Ada clicks the teapot button, and a minute later the cups.
    at(60)
    const click = await get(ada.links[1]!, chromeUserAgent)
    expect(click.status).toBe(302)
    expect(click.headers.get('location')).toMatch(
      /^http:\/\/localhost:8787\/product\.html\?id=pot-01&utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale&spoor_c=/,
    )
    expectNext('Email Link Clicked', 'human', { rule: 'none', seconds_since_first: 60 })
    at(120)
    const cups = await get(ada.links[4]!, chromeUserAgent)
    expect(cups.headers.get('location')).toMatch(/[?&]ref=ada&spoor_c=/)
    expectNext('Email Link Clicked', 'human', { rule: 'none', seconds_since_first: 120 })

    // Bob's mail goes through a security gateway: it checks a link with HEAD, then follows the others within a second.
    at(300)
    expect((await get(bob.links[0]!, chromeUserAgent, 'HEAD')).status).toBe(302)
    expectNext('Email Link Clicked', 'scanner', { rule: 'head_request', method: 'HEAD', seconds_since_first: null })
    at(300.4)
    await get(bob.links[3]!, chromeUserAgent)
    expectNext('Email Link Clicked', 'scanner', { rule: 'click_burst', seconds_since_first: 0.4 })
    at(300.9)
    await get(bob.links[4]!, chromeUserAgent)
    expectNext('Email Link Clicked', 'scanner', { rule: 'click_burst', seconds_since_first: 0.9 })
    // A script fetching the pixel, and one with no user agent at all.
    at(301)
    await get(bob.pixel, 'python-requests/2.32.3')
    expectNext('Email Opened', 'bot', { rule: 'user_agent', user_agent_pattern: 'http library' })
    await get(bob.links[1]!)
    expectNext('Email Link Clicked', 'bot', { rule: 'user_agent', user_agent_pattern: 'no user agent' })

    await sink.close()
    const events = await readLines(dataDir)
    // One event per request, none dropped: machines are flagged, not filtered.
    expect(events).toHaveLength(expected.length)
    expect(new Set(events.map((e) => e.messageId)).size).toBe(expected.length)
    events.forEach((event, i) => {
      const [name, classification, evidence] = expected[i]!
      expect(event.event, `request ${i}`).toBe(name)
      expect(event.properties, `request ${i}`).toMatchObject({
        campaign_id: 'spring-sale',
        email_id: 'spring-1',
        classification,
        evidence,
      })
    })
    expect(events.map((e) => e.properties.recipient_id)).toEqual([
      'ada',
      'ada',
      'ada',
      'ada',
      'ada',
      'ada',
      'bob',
      'bob',
      'bob',
      'bob',
      'bob',
    ])
    expect(events.filter((e) => e.event === 'Email Link Clicked').map((e) => e.properties.link_id)).toEqual([
      '1',
      '3',
      'logo',
      '2',
      '3',
      '1',
    ])
  })
})

describe('a security gateway that checks each link with HEAD, then GETs it', () => {
  it('flags every one of its GETs, not only those that follow another link', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const at = (seconds: number) => vi.setSystemTime(start + seconds * 1000)
    const { app, sink, dataDir } = await emailApp()
    const { html } = await instrumentedExample()
    const links = attributeUrls(fillIn(html, { id: 'cleo', first_name: 'Cleo' }), 'href')
      .filter((u) => u.includes('/email/c?'))
      .map(pathOf)
    const get = (path: string, method: string) =>
      app.request(path, { method, headers: { 'user-agent': chromeUserAgent } })

    // On delivery, link after link: HEAD, then GET of the same link, 0.1 s apart.
    let second = 0
    for (const link of links.slice(0, 3)) {
      for (const method of ['HEAD', 'GET']) {
        at((second += 0.1))
        expect((await get(link, method)).status).toBe(302)
      }
    }
    // Cleo herself, a minute later.
    at(60)
    await get(links[0]!, 'GET')

    await sink.close()
    const events = await readLines(dataDir)
    const seen = events.map((e) => [
      e.properties.evidence.method,
      e.properties.classification,
      e.properties.evidence.rule,
    ])
    expect(seen).toEqual([
      ['HEAD', 'scanner', 'head_request'],
      ['GET', 'scanner', 'click_burst'],
      ['HEAD', 'scanner', 'head_request'],
      ['GET', 'scanner', 'click_burst'],
      ['HEAD', 'scanner', 'head_request'],
      ['GET', 'scanner', 'click_burst'],
      ['GET', 'human', 'none'],
    ])
  })
})
