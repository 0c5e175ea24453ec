import { parseConfig } from '@spoor/collector'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { readEvents } from '../support/events.js'

// The site's own origin is missing from its config: the mistake a new site makes first.
const suite = useBrowserSuite(() => ({
  config: parseConfig({ sites: [{ writeKey: 'e2e-key', origins: ['https://shop.example'] }] }),
}))

describe('a page whose origin its site does not list, in Chromium', () => {
  it("answers the page with the collector's reason and fix, readable where a CORS error said nothing", async () => {
    const page = await (await suite.browser.newContext()).newPage()
    const messages: { type: string; text: string }[] = []
    const answers: string[] = []
    page.on('console', (message) => messages.push({ type: message.type(), text: message.text() }))
    page.on(
      'response',
      (response) =>
        void (
          response.url().includes('/v1/batch') &&
          response.text().then(
            (text) => answers.push(text),
            () => {},
          )
        ),
    )
    await page.goto(suite.site.url + '/index.html?refused')
    // The tags print nothing (a warning's bytes would be every visitor's to load): the answer, in the browser's
    // network panel, and the collector's log say what to fix; an app built with @spoor/sdk prints it too.
    await expect.poll(() => answers.find((text) => text.includes('may not send')), { timeout: 20_000 }).toBeDefined()
    expect(JSON.parse(answers.find((text) => text.includes('may not send'))!)).toEqual({
      success: false,
      error: `origin ${suite.site.url} may not send with this write key: add ${suite.site.url} to the origins of its site in the collector's config`,
    })
    // The page could read the answer: no CORS error in its console.
    expect(messages.filter((m) => /CORS/.test(m.text))).toEqual([])
    expect(await readEvents(suite.collector.dataDir)).toEqual([])
    await page.context().close()
  })
})
