import type { Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { launchChromium } from './chromium.js'
import { startCollector, type TestCollector } from './collector.js'
import { startSite, type SiteServer } from './site-server.js'

/** What a browser test file works with, ready inside its tests. */
export interface BrowserSuite {
  browser: Browser
  collector: TestCollector
  /** The fixture site, on another origin than the collector (as sites are in production). */
  site: SiteServer
}

/**
 * Sets up, for the test file that calls it, what most browser tests share: Chromium, a real collector on a free
 * port writing to a fresh folder, and the fixture site pointed at it; all stopped after the file's last test.
 *
 * @example
 * const suite = useBrowserSuite()
 * it('…', async () => { const page = await suite.browser.newPage(); await page.goto(suite.site.url) })
 */
export function useBrowserSuite(): BrowserSuite {
  const suite = {} as BrowserSuite
  beforeAll(async () => {
    suite.browser = await launchChromium()
    suite.collector = await startCollector()
    suite.site = await startSite(() => suite.collector.url)
  })
  afterAll(async () => {
    await suite.browser?.close()
    await suite.site?.close()
    await suite.collector?.stop()
  })
  return suite
}
