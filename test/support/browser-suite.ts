import type { Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { type LaunchOptions, launchChromium } from './chromium.js'
import { type CollectorOptions, startCollector, type TestCollector } from './collector.js'
import { type SiteServer, startSite } from './site-server.js'

/** What a browser test file works with, ready inside its tests. */
export interface BrowserSuite {
  browser: Browser
  collector: TestCollector
  /** The fixture site, on another origin than the collector (as sites are in production). */
  site: SiteServer
}

/**
 * Sets up, for the test file that calls it, what browser tests share: Chromium, a real collector on a free port
 * writing to a fresh folder, and the fixture site pointed at it; all stopped after the file's last test.
 *
 * @param collector - what the collector serves (default: the e2e site only); made in `beforeAll`, so it may read
 *   files or build what it serves first
 * @param launch - how Chromium is launched (default: its own user agent, which says `HeadlessChrome`)
 * @example
 * const suite = useBrowserSuite()
 * it('…', async () => { const page = await suite.browser.newPage(); await page.goto(suite.site.url) })
 */
export function useBrowserSuite(
  collector: () => Promise<CollectorOptions> | CollectorOptions = () => ({}),
  launch: LaunchOptions = {},
): BrowserSuite {
  const suite = {} as BrowserSuite
  beforeAll(async () => {
    const options = await collector()
    suite.browser = await launchChromium(launch)
    suite.collector = await startCollector(options)
    suite.site = await startSite(() => suite.collector.url)
  })
  afterAll(async () => {
    await suite.browser?.close()
    await suite.site?.close()
    await suite.collector?.stop()
  })
  return suite
}
