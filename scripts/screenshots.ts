// Makes the pictures in docs/: the dashboard and the email report of the example shop's session (seven people in real
// Chromium, the example email's opens and clicks), as `spoor serve` and `spoor email report` show them.
// Run: npm run screenshots (needs Chromium: CHROME_PATH, Debian's chromium, or @sparticuz/chromium).
import { mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { launchChromium } from '../test/support/chromium.js'
import { instrumentExampleEmail } from '../test/support/example-email.js'
import { tempDir } from '../test/support/helpers.js'
import { runSpoor } from '../test/support/run-cli.js'
import { runShopSession } from '../test/support/shop-session.js'
import { serveShop, writeDemoConfig } from '../test/support/spoor-serve.js'

const docs = fileURLToPath(new URL('../docs/', import.meta.url))
const token = 'screenshot-dashboard-token-0123456789'
// A person's browser: headless Chromium names itself, and the collector rightly counts it as a bot.
const person = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

const dir = await tempDir('spoor-screenshots-')
const dataDir = join(dir, 'data')
await mkdir(dataDir)
const config = join(dir, 'spoor.config.json')
await writeDemoConfig(config, token)
const browser = await launchChromium({ userAgent: person })
// The shop's visitors come from around the world (public addresses the location datasets place in Germany, the
// United States, the United Kingdom, Sweden, Brazil, Japan and Australia), through a proxy of the shop's.
const addresses = ['193.99.144.80', '8.8.8.8', '81.2.69.160', '89.160.20.112', '200.160.2.3', '133.1.1.1', '1.1.1.1']
const collector = await serveShop({ dataDir, config, cartWindow: '15s', trustProxy: 1 })
try {
  const email = await instrumentExampleEmail({ base: collector.url, config, dir, campaign: 'spring-sale' })
  await runShopSession({ browser, shopUrl: collector.url, dataDir, email, timeout: 90_000, addresses })
  // Every file the collector opened is published before the pictures are taken.
  for (let i = 0; i < 200; i++) {
    const names = await readdir(join(dataDir, 'events'), { recursive: true })
    if (!names.some((name) => name.endsWith('.open'))) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const owner = await browser.newContext({
    httpCredentials: { username: 'owner', password: token },
    viewport: { width: 1280, height: 900 },
  })
  const page = await owner.newPage()
  await page.goto(`${collector.url}/dashboard?site=demo-shop-key&heatmap=/`)
  await page.screenshot({ path: join(docs, 'dashboard.jpg'), fullPage: true, quality: 80 })

  const emailReport = join(dir, 'email-report.html')
  const run = await runSpoor(['email', 'report', '--data', dataDir, '--out', emailReport])
  if (run.code !== 0) throw new Error(`spoor email report failed: ${run.stderr}`)
  await page.goto(`file://${emailReport}`)
  await page.screenshot({ path: join(docs, 'email-report.jpg'), fullPage: true, quality: 80 })
  await owner.close()
  console.log('wrote docs/dashboard.jpg and docs/email-report.jpg')
} finally {
  await collector.stop()
  await browser.close()
  await rm(dir, { recursive: true, force: true })
}
