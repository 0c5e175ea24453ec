import { describe, expect, it } from 'vitest'
import { basic, readLines, testApp } from '../../../test/support/helpers.js'
import { isServerCall } from '../src/steps/server-call.js'

const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const headless =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36'
const googlebot = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'

describe('isServerCall', () => {
  it('is a request with the write key as its HTTP Basic user (or a Bearer token) and no Origin', () => {
    expect(isServerCall(basic('server-key'), undefined, 'server-key')).toBe(true)
    // `curl -u server-key` (no colon) and a library that sends a password: the user is what counts.
    expect(isServerCall('Basic ' + Buffer.from('server-key').toString('base64'), undefined, 'server-key')).toBe(true)
    expect(isServerCall('basic ' + Buffer.from('server-key:x').toString('base64'), undefined, 'server-key')).toBe(true)
    expect(isServerCall('Bearer eyJhbGciOi', undefined, 'server-key')).toBe(true)
  })

  it('is not a request a browser sent, one without credentials, nor one whose credentials name another key', () => {
    expect(isServerCall(basic('server-key'), 'https://shop.example', 'server-key')).toBe(false)
    expect(isServerCall(undefined, undefined, 'server-key')).toBe(false)
    expect(isServerCall(basic('other-key'), undefined, 'server-key')).toBe(false)
    expect(isServerCall(basic(''), undefined, 'server-key')).toBe(false)
    expect(isServerCall('Basic', undefined, 'server-key')).toBe(false)
    expect(isServerCall('Bearer ', undefined, 'server-key')).toBe(false)
    expect(isServerCall('Digest username="server-key"', undefined, 'server-key')).toBe(false)
  })
})

describe('the bot flag on the event API', () => {
  /** Posts one page event under `key` (in the body, as the snippet sends it) with these headers; returns its line. */
  async function flagOf(
    headers: Record<string, string>,
    { key = 'server-key', userAgent }: { key?: string; userAgent?: string } = {},
  ) {
    const { app, sink, dataDir } = await testApp()
    const event = { type: 'page', anonymousId: 'a1', ...(userAgent ? { context: { userAgent } } : {}) }
    const response = await app.request('/v1/batch', {
      method: 'POST',
      headers,
      body: JSON.stringify({ writeKey: key, batch: [event] }),
    })
    expect(response.status).toBe(200)
    await sink.close()
    const [line] = await readLines(dataDir)
    return line!.context.bot ?? false
  }
  const auth = { authorization: basic('server-key') }

  it("never comes from an authenticated server-side call's own user agent", async () => {
    expect(await flagOf({ ...auth, 'user-agent': 'curl/8.5.0' })).toBe(false)
    // Node's fetch, which analytics-node uses, sends Sec-Fetch-Mode like a browser.
    expect(
      await flagOf({
        ...auth,
        'user-agent': 'analytics-node-next/latest',
        'sec-fetch-mode': 'cors',
        'content-type': 'application/json',
      }),
    ).toBe(false)
    expect(await flagOf({ ...auth, 'user-agent': 'analytics-python/2.3.2' })).toBe(false)
    expect(await flagOf({ ...auth, 'user-agent': 'python-requests/2.32.3' })).toBe(false)
    expect(await flagOf({ ...auth, 'user-agent': 'analytics-go (version: 3.0.0)' })).toBe(false)
    expect(await flagOf({ ...auth, 'user-agent': 'axios/1.7.7' })).toBe(false)
    expect(await flagOf({ authorization: 'Bearer token', 'user-agent': 'analytics-node-next/latest' })).toBe(false)
    // The visitor's agent, forwarded by the backend, is the one judged.
    expect(await flagOf({ ...auth, 'user-agent': 'curl/8.5.0' }, { userAgent: chrome })).toBe(false)
  })

  it("comes from a browser's own user agent when it is a crawler's or a headless browser's", async () => {
    const browser = {
      origin: 'https://shop.example',
      'sec-fetch-mode': 'no-cors',
      'content-type': 'text/plain;charset=UTF-8',
    }
    expect(await flagOf({ ...browser, 'user-agent': googlebot }, { key: 'test-key' })).toBe(true)
    expect(await flagOf({ ...browser, 'user-agent': headless }, { key: 'test-key' })).toBe(true)
    expect(await flagOf({ ...browser, 'user-agent': chrome }, { key: 'test-key' })).toBe(false)
    expect(await flagOf({ ...browser, 'user-agent': chrome }, { key: 'test-key', userAgent: googlebot })).toBe(true)
  })

  it('is not escaped by forging a server call', async () => {
    // A page's script may add the write key as credentials, but cannot drop the Origin its browser sends.
    expect(
      await flagOf(
        { authorization: basic('test-key'), origin: 'https://shop.example', 'user-agent': headless },
        { key: 'test-key' },
      ),
    ).toBe(true)
    // Credentials do not hide the agent an event carries.
    expect(await flagOf({ ...auth, 'user-agent': 'analytics-node-next/latest' }, { userAgent: googlebot })).toBe(true)
    // The snippet's own request replayed by a script (key in the body, no Origin) is judged by its agent.
    expect(await flagOf({ 'user-agent': 'curl/8.5.0' })).toBe(true)
    expect(await flagOf({ 'user-agent': 'python-requests/2.32.3', 'sec-fetch-mode': 'cors' })).toBe(true)
    // Credentials with no user are no credentials: the body's key counts, and the agent is judged.
    expect(await flagOf({ authorization: basic(''), 'user-agent': 'curl/8.5.0' })).toBe(true)
  })
})
