import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { blockContaining } from '../support/doc-block.js'
import { readEvents, waitForEvents } from '../support/events.js'

const suite = useBrowserSuite()

const root = new URL('../../', import.meta.url)

/** The README's npm SDK example bundled as an app's build would (esbuild, the SDK's sources), sending to `endpoint`. */
async function readmeApp(markdown: string, endpoint: string): Promise<string> {
  const code = blockContaining(markdown, "from '@spoor/sdk'")
  expect(code).toContain("endpoint: 'https://t.example.com'")
  const result = await build({
    stdin: {
      contents: code
        .replace("'https://t.example.com'", JSON.stringify(endpoint))
        .replace("writeKey: 'KEY'", "writeKey: 'e2e-key'"),
      resolveDir: root.pathname,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    conditions: ['source'],
    write: false,
    logLevel: 'warning',
  })
  return result.outputFiles[0]!.text
}

/**
 * A site of its own origin: `/app.js` and `/sdk.html` serve the README's SDK example; any other page holds the
 * README's tag as written, COLLECTOR and KEY filled in (the test collector speaks plain http), and the README's
 * early calls in a script after it, as a site would paste them.
 */
const site = createServer(async (request, response) => {
  const markdown = await readFile(new URL('README.md', root), 'utf8')
  const path = new URL(request.url ?? '/', 'http://x').pathname
  if (path === '/app.js') {
    response.writeHead(200, { 'content-type': 'text/javascript' }).end(await readmeApp(markdown, suite.collector.url))
    return
  }
  if (path === '/sdk.html') {
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end('<!doctype html><title>App</title><script type="module" src="/app.js"></script>')
    return
  }
  const tag = blockContaining(markdown, 'data-write-key="KEY"')
    .replaceAll('https://COLLECTOR', suite.collector.url)
    .replaceAll('KEY', 'e2e-key')
  const calls = blockContaining(markdown, "spoor('identify', 'u1'")
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
  response.end(
    `<!doctype html><html><head><title>README tag</title>\n${tag}<script>\n${calls}</script></head><body><h1>Shop</h1></body></html>`,
  )
})
let siteUrl: string
beforeAll(async () => {
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => site.close(() => resolve())))

describe("the README's npm SDK example, bundled as written", () => {
  it('records the page view, the user, the sign-up and the NPS score', async () => {
    const context = await suite.browser.newContext()
    const page = await context.newPage()
    await page.goto(`${siteUrl}/sdk.html?readme-sdk`)
    const fromApp = (e: { context: { page?: { search?: string } } }) => e.context.page?.search === '?readme-sdk'
    const [nps] = await waitForEvents(suite.collector.dataDir, (e) => fromApp(e) && e.event === 'NPS Submitted')
    await context.close()
    expect(nps).toMatchObject({ userId: 'u1', writeKey: 'e2e-key', properties: { score: 9, comment: 'Fast delivery' } })
    const mine = (await readEvents(suite.collector.dataDir)).filter(fromApp)
    expect(mine.find((e) => e.event === 'Signed Up')).toMatchObject({ userId: 'u1', properties: { plan: 'pro' } })
    expect(mine.find((e) => e.type === 'identify')).toMatchObject({
      userId: 'u1',
      traits: { email: 'ada@example.com' },
    })
    expect(mine.filter((e) => e.type === 'page')).toHaveLength(1)
  })
})

describe("the README's script tag, pasted as written", () => {
  it('records the page view, and replays the calls made before it loaded, in order', async () => {
    const context = await suite.browser.newContext()
    const page = await context.newPage()
    await page.goto(`${siteUrl}/shop.html?readme-tag`)
    const fromPage = (e: { context: { page?: { search?: string } } }) => e.context.page?.search === '?readme-tag'
    const events = await waitForEvents(suite.collector.dataDir, (e) => fromPage(e) && e.event === 'Signed Up')
    await waitForEvents(suite.collector.dataDir, (e) => fromPage(e) && e.type === 'page')
    // Leaving sends whatever still waits: a second page view would be among it.
    await page.goto('about:blank')
    await context.close()
    const sent = new Set(
      suite.collector.requests
        .filter((r) => r.body.includes('?readme-tag'))
        .flatMap((r) => JSON.parse(r.body).batch.map((e: { messageId: string }) => e.messageId)),
    )
    await waitForEvents(suite.collector.dataDir, (e) => sent.has(e.messageId), { count: sent.size })

    expect(events[0]).toMatchObject({
      userId: 'u1',
      properties: { plan: 'pro' },
      writeKey: 'e2e-key',
      context: { traits: { email: 'ada@example.com' } },
    })
    const mine = (await readEvents(suite.collector.dataDir)).filter(fromPage)
    expect(mine.map((e) => e.event ?? e.type).sort()).toEqual(['Signed Up', 'identify', 'page'])
    // Replayed before the automatic page view, which the explicit spoor('page') of the same navigation stands for.
    // Calls made within one millisecond share a timestamp, so the order is checked allowing ties.
    const at = (name: string) => Date.parse(mine.find((e) => (e.event ?? e.type) === name)!.originalTimestamp!)
    expect(at('identify')).toBeLessThanOrEqual(at('Signed Up'))
    expect(at('Signed Up')).toBeLessThanOrEqual(at('page'))
  })

  it('counts a page view through the <noscript> pixel where scripts do not run', async () => {
    const context = await suite.browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    const before = (await readEvents(suite.collector.dataDir)).filter(
      (e) => e.context.library?.name === 'spoor-pixel',
    ).length
    await page.goto(`${siteUrl}/shop.html?readme-noscript`)
    const pixel = await waitForEvents(suite.collector.dataDir, (e) => e.context.library?.name === 'spoor-pixel', {
      count: before + 1,
    })
    await context.close()
    // Cross-origin, the browser sends only the site's origin as Referer (the README says so).
    expect(pixel.at(-1)).toMatchObject({ type: 'page', writeKey: 'e2e-key', context: { page: { url: siteUrl + '/' } } })
  })
})
