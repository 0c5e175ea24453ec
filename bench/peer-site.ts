// The site of the side-by-side snippet benchmark, on a free port of 127.0.0.1: the same product page with each
// tag (or none), the peers' files, and the endpoints their events go to. Pages are served as
// http://localhost:PORT and everything else as http://127.0.0.1:PORT, so that every tag sends cross-origin, as it
// would in production, and no request leaves this machine.
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { basename, join } from 'node:path'
import type { Page } from 'playwright-core'
import { peerTags } from './peer-tags.js'

/**
 * The tags compared, each with what its page's `<head>` holds; `baseline` is the page without any. The core tag is
 * also loaded with its clicks switched off (`data-off="clicks"`), and then with nothing stored on the device
 * (`data-cookieless`): Plausible records no clicks and keeps no queue, so these rows show what spoor's page view
 * alone costs beside Plausible's, and what its click capture and its storage add.
 */
export const tags = [
  'baseline',
  'spoor core',
  'spoor core, clicks off',
  'spoor core, clicks off, cookieless',
  'spoor full',
  'Umami',
  'Plausible',
  'Segment',
] as const
export type Tag = (typeof tags)[number]

/** Where each tag's events go (a request whose URL matches is an event sent) and its file, for the size column. */
export const tagFile: Record<Exclude<Tag, 'baseline'>, { file: string; events: RegExp }> = {
  'spoor core': { file: 'spoor.js', events: /\/v1\/batch/ },
  'spoor core, clicks off': { file: 'spoor.js', events: /\/v1\/batch/ },
  'spoor core, clicks off, cookieless': { file: 'spoor.js', events: /\/v1\/batch/ },
  'spoor full': { file: 'spoor.full.js', events: /\/v1\/batch/ },
  Umami: { file: 'umami.js', events: /\/api\/send/ },
  Plausible: { file: 'plausible.js', events: /\/api\/event/ },
  Segment: { file: 'segment.js', events: /\/v1\/[pt]$/ },
}

function head(tag: Tag, collector: string, sink: string): string {
  const stub = '<script>window.spoor=window.spoor||function(){(spoor.q=spoor.q||[]).push(arguments)}</script>'
  const spoor = (file: string, attributes = '') =>
    `${stub}<script async src="${collector}/${file}" data-write-key="e2e-key"${attributes}></script>`
  switch (tag) {
    case 'baseline':
      return ''
    case 'spoor core':
      return spoor('spoor.js')
    case 'spoor core, clicks off':
      return spoor('spoor.js', ' data-off="clicks"')
    case 'spoor core, clicks off, cookieless':
      return spoor('spoor.js', ' data-off="clicks" data-cookieless')
    case 'spoor full':
      return spoor('spoor.full.js')
    case 'Umami':
      return `<script async src="${sink}/umami.js" data-website-id="4f0c8f5e-0b8a-4c9e-9a57-6c1d1b2f3a4e"></script>`
    case 'Plausible':
      return `<script async src="${sink}/plausible.js"></script>`
    // Segment's snippet, reduced to what the standalone build reads: the queued page() call, the key, the CDN.
    case 'Segment':
      return `<script>window.analytics=[["page"]];analytics._writeKey="bench";analytics._cdn=${JSON.stringify(sink)}</script><script async src="${sink}/segment.js"></script>`
  }
}

/** A product listing of 300 elements: 75 cards, each a paragraph with a link, a price and a button, built by the page itself. */
const page = (tag: Tag, collector: string, sink: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Products</title>${head(tag, collector, sink)}</head>
<body><h1>Products</h1><main id="list"></main>
<script>
  const list = document.getElementById('list')
  for (let i = 0; i < 75; i++) {
    const item = document.createElement('p')
    item.innerHTML = '<a href="#product-' + i + '">Product ' + i + '</a> <span class="price">' + (9 + i) + '.90</span> <button class="buy">Add to cart</button>'
    list.append(item)
  }
</script></body></html>`

/**
 * What the side-by-side benchmarks do on the product page once the tag's page view has left: ten clicks on the
 * cards' buttons, twenty mouse moves, a scroll, then the page is hidden (as the visitor moves on).
 */
export async function visitLikeAPerson(page: Page): Promise<void> {
  await page.waitForTimeout(200)
  for (let i = 0; i < 10; i++) await page.click(`p:nth-child(${i * 7 + 1}) button`)
  for (let i = 0; i < 20; i++) await page.mouse.move(100 + i * 10, 100 + i * 5)
  await page.mouse.wheel(0, 3000)
  await page.waitForTimeout(300)
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')))
}

/** The running site. */
export interface PeerSite {
  /** The page of a tag. */
  url(tag: Tag): string
  /** The peers' files, by name. */
  files: Record<string, string>
  close(): Promise<void>
}

export async function startPeerSite(collector: string): Promise<PeerSite> {
  let sink = ''
  let files: Record<string, string> = {}
  let segmentDir = ''
  const cors = {
    'access-control-allow-origin': '*',
    'access-control-allow-headers': 'content-type',
    'access-control-allow-methods': 'GET, POST',
  }
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname
    request.resume()
    try {
      if (request.method === 'OPTIONS') return void response.writeHead(204, cors).end()
      if (path.startsWith('/page/')) {
        return void response
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(page(decodeURIComponent(path.slice(6)) as Tag, collector, sink))
      }
      if (files[path.slice(1)])
        return void response.writeHead(200, { 'content-type': 'text/javascript', ...cors }).end(files[path.slice(1)])
      if (path.startsWith('/analytics-next/bundles/')) {
        return void response
          .writeHead(200, { 'content-type': 'text/javascript', ...cors })
          .end(await readFile(join(segmentDir, basename(path))))
      }
      if (path.startsWith('/v1/projects/')) {
        const settings = {
          integrations: { 'Segment.io': { apiKey: 'bench', apiHost: `${new URL(sink).host}/v1`, protocol: 'http' } },
          plan: {},
          metrics: { sampleRate: 0 },
        }
        return void response
          .writeHead(200, { 'content-type': 'application/json', ...cors })
          .end(JSON.stringify(settings))
      }
      // The peers' event endpoints: each answer as its own server gives it.
      if (path === '/api/event') return void response.writeHead(202, cors).end('ok')
      if (path === '/api/send')
        return void response.writeHead(200, { 'content-type': 'application/json', ...cors }).end('{}')
      if (path.startsWith('/v1/'))
        return void response.writeHead(200, { 'content-type': 'application/json', ...cors }).end('{}')
      response.writeHead(404, cors).end('not found')
    } catch {
      response.writeHead(500).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  sink = `http://127.0.0.1:${port}`
  ;({ files, segmentDir } = await peerTags(sink))
  return {
    url: (tag) => `http://localhost:${port}/page/${encodeURIComponent(tag)}`,
    files,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
