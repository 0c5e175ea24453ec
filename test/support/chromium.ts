import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

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

/** A headless Chromium that makes no connection of its own (this machine's network is closed). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}
