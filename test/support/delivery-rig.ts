import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EventLine } from '@spoor/protocol'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { launchChromium } from './chromium.js'
import { readEvents } from './events.js'
import { concurrentCopies, copiesSent, type FaultProxy, startFaultProxy } from './fault-proxy.js'
import { type SiteServer, startSite } from './site-server.js'
import { type SpoorServe, startSpoorServe } from './spoor-serve.js'

/** Chromium, the fixture site, the fault proxy and a real `spoor serve` behind it, for one test file. */
export interface DeliveryRig {
  browser: Browser
  /** Where the page's snippet sends: the collector, through the proxy. */
  proxy: FaultProxy
  serve: SpoorServe & { dataDir: string }
  site: SiteServer
  dataDir: string
}

/**
 * Sets up a {@link DeliveryRig} before the file's first test and stops it after its last: the page → fault proxy
 * → `spoor serve` → NDJSON files, each on a free port of 127.0.0.1.
 */
export function useDeliveryRig(): DeliveryRig {
  const rig = {} as DeliveryRig
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spoor-delivery-'))
    rig.serve = await startSpoorServe(dir)
    rig.dataDir = rig.serve.dataDir
    rig.proxy = await startFaultProxy(() => rig.serve.url)
    rig.site = await startSite(() => rig.proxy.url)
    rig.browser = await launchChromium()
  })
  afterAll(async () => {
    await rig.browser?.close()
    await rig.site?.close()
    await rig.proxy?.close()
    await rig.serve?.stop()
  })
  return rig
}

/** Opens the fixture page in a new tab of `context` and waits until the snippet has loaded. */
export async function openTab(rig: DeliveryRig, context: BrowserContext, tag: string): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${rig.site.url}/index.html?${tag}`)
  await page.waitForFunction(() => (window as any).spoor?.tracker)
  return page
}

/** Tracks one `Delivery Check` event per key, in one task, each with its key in `properties.key`. */
export async function trackKeys(page: Page, keys: string[]): Promise<void> {
  await page.evaluate((keys) => {
    for (const key of keys) (window as any).spoor('track', 'Delivery Check', { key })
  }, keys)
}

/** `count` keys `prefix-0`, `prefix-1`, … */
export const keys = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`)

/** What became of some tracked keys, read from the collector's published files and the proxy's record. */
export interface Tally {
  tracked: number
  /** Keys on disk at least once. */
  delivered: number
  /** Keys not on disk. */
  lost: number
  /** Lines on disk beyond the first of their messageId. */
  duplicatedOnDisk: number
  /** Requests beyond the first that carried one of these events (the browser sent it again). */
  sentAgain: number
  /** Events that were in two requests at the same time (the collector may write both). */
  concurrent: number
}

const keyOf = (line: EventLine) =>
  line.event === 'Delivery Check' ? (line.properties as { key?: string }).key : undefined

/** Counts what became of `tracked`, as the collector's files and the proxy have it now. */
export async function tally(rig: DeliveryRig, tracked: string[]): Promise<Tally> {
  const wanted = new Set(tracked)
  const lines = (await readEvents(rig.dataDir)).filter((line) => wanted.has(keyOf(line) ?? ''))
  const ids = new Set(lines.map((line) => line.messageId))
  const delivered = new Set(lines.map(keyOf)).size
  const copies = copiesSent(rig.proxy.requests)
  const concurrent = new Set(concurrentCopies(rig.proxy.requests))
  return {
    tracked: tracked.length,
    delivered,
    lost: tracked.length - delivered,
    duplicatedOnDisk: lines.length - ids.size,
    sentAgain: [...ids].reduce((sum, id) => sum + Math.max(0, (copies.get(id) ?? 0) - 1), 0),
    concurrent: [...ids].filter((id) => concurrent.has(id)).length,
  }
}

/**
 * Waits until every key of `tracked` is on disk, or `timeout` ms passed, and until the proxy has answered every
 * request it received; then {@link tally}.
 */
export async function settle(rig: DeliveryRig, tracked: string[], timeout = 20_000): Promise<Tally> {
  const deadline = Date.now() + timeout
  let counted = await tally(rig, tracked)
  while (counted.lost && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    counted = await tally(rig, tracked)
  }
  while (rig.proxy.requests.some((r) => r.end === undefined) && Date.now() < deadline + 5000) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return tally(rig, tracked)
}

/** The lines of `tracked` keys on disk, by key. */
export async function linesByKey(rig: DeliveryRig, tracked: string[]): Promise<Map<string, EventLine>> {
  const wanted = new Set(tracked)
  return new Map((await readEvents(rig.dataDir)).filter((l) => wanted.has(keyOf(l) ?? '')).map((l) => [keyOf(l)!, l]))
}
