import { parseConfig } from '@spoor/collector'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { readEvents } from '../support/events.js'

// The site's own origin is missing from its config: the mistake a new site makes first.
const suite = useBrowserSuite(() => ({ config: parseConfig({ sites: [{ writeKey: 'e2e-key', origins: ['https://shop.example'] }] }) }))

describe('a page whose origin its site does not list, in Chromium', () => {
  it("shows the collector's reason and fix in the console, where a CORS error said nothing", async () => {
    const page = await (await suite.browser.newContext()).newPage()
    const messages: { type: string; text: string }[] = []
    page.on('console', (message) => messages.push({ type: message.type(), text: message.text() }))
    await page.goto(suite.site.url + '/index.html?refused')
    const refusal = () => messages.find((m) => m.type === 'warning' && m.text.includes('may not send'))
    await expect.poll(refusal, { timeout: 20_000 }).toBeDefined()
    expect(JSON.parse(refusal()!.text)).toEqual({
      success: false,
      error: `origin ${suite.site.url} may not send with this write key: add ${suite.site.url} to the origins of its site in the collector's config`,
    })
    // The page could read the answer: no CORS error in its console.
    expect(messages.filter((m) => /CORS/.test(m.text))).toEqual([])
    expect(await readEvents(suite.collector.dataDir)).toEqual([])
    await page.context().close()
  })
})
