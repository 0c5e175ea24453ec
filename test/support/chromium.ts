import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

/**
 * Where Chromium is: `CHROME_PATH`, else Debian's `/usr/bin/chromium`, else the Chromium shipped inside the
 * `@sparticuz/chromium` npm package (unpacked to /tmp on first use), so that `npm install` is all a machine needs.
 */
export async function chromiumPath(): Promise<string> {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium'
  const { default: packaged } = await import('@sparticuz/chromium')
  return packaged.executablePath()
}

/** How to launch Chromium. */
export interface LaunchOptions {
  /**
   * The user agent of every page, for the whole browser (default: Chromium's own, which says `HeadlessChrome`).
   * Set here rather than per context: Playwright's per-context override does not reach a document that is being
   * unloaded, so the reports a page sends as it is left (engagement, web vitals) would say `HeadlessChrome`.
   */
  userAgent?: string
}

/** A headless Chromium that makes no connection of its own (this machine's network is closed). */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  // Under a shifted system clock (libfaketime, the suite's year-ahead run) Chromium's own timers stall: it keeps the
  // real clock, like a visitor whose clock disagrees with the collector's, which the collector corrects for.
  const { LD_PRELOAD: _preload, FAKETIME: _faketime, ...env } = process.env
  return chromium.launch({
    executablePath: await chromiumPath(),
    env,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...(options.userAgent ? [`--user-agent=${options.userAgent}`] : []),
    ],
  })
}
