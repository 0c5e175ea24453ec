// Where the core tag's heap goes: the side-by-side benchmark's page and visit (`visitLikeAPerson`), with the core
// built whole and without each of the parts below (taken out by the edits of `packages/snippet/feature-edits.mjs`,
// as `feature-costs.mjs` does for bytes), each beside the page without a tag, in interleaved rounds. Heap is the JS
// heap in use after a forced garbage collection, minus the bare page's in the same round; Plausible's is printed
// for scale. Run: npx tsx bench/snippet-heap-parts.ts (`SPOOR_BENCH_ROUNDS` rounds, default 5; about 2 minutes).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { buildSnippet } from '../packages/snippet/build.mjs'
import { buildWithout, type FeatureEdit, features } from '../packages/snippet/feature-edits.mjs'
import { launchChromium } from '../test/support/chromium.js'
import { type CountingCollector, startCountingCollector } from './counting-collector.js'
import { type PeerSite, startPeerSite, type Tag, tagFile, visitLikeAPerson } from './peer-site.js'

const rounds = Number(process.env.SPOOR_BENCH_ROUNDS ?? 5)
type Edits = FeatureEdit[]
const parts: Record<string, Edits> = {
  'the core, whole': [],
  'without the clicks': features.clicks!,
  'without the IndexedDB queue (in memory)': features['queue in IndexedDB (vs memory)']!,
  'without the time zone': features['time zone (once per device)']!,
}
parts['without all three'] = Object.values(parts).flat()

/** One page's JS heap after the visit and a forced garbage collection. */
async function heapAfterVisit(browser: Browser, site: PeerSite, tag: Tag): Promise<number> {
  const context = await browser.newContext()
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  const sent = tag === 'baseline' ? undefined : tagFile[tag].events
  const event = sent && page.waitForRequest((request) => sent.test(request.url()), { timeout: 10_000 }).catch(() => {})
  await page.goto(site.url(tag), { waitUntil: 'load' })
  await event
  await visitLikeAPerson(page)
  await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  await context.close()
  return usedSize
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!

await buildSnippet()
const browser = await launchChromium()
const folder = await mkdtemp(join(tmpdir(), 'spoor-heap-parts-'))
// One collector and site per build: the collector serves the build in the folder as /spoor.js.
const builds: { name: string; collector: CountingCollector; site: PeerSite }[] = []
const heaps = new Map<string, number[]>()
try {
  for (const [name, edits] of Object.entries(parts)) {
    const file = join(await mkdtemp(join(folder, 'build-')), 'spoor.js')
    await writeFile(file, await buildWithout(false, edits))
    const collector = await startCountingCollector(file)
    builds.push({ name, collector, site: await startPeerSite(collector.url) })
  }
  const plausible = builds[0]!.site
  for (let round = 0; round < rounds; round++) {
    for (const { name, site } of [...builds, { name: 'Plausible 0.4.6, for scale', site: plausible }]) {
      const tag: Tag = name.startsWith('Plausible') ? 'Plausible' : 'spoor core'
      const over = (await heapAfterVisit(browser, site, tag)) - (await heapAfterVisit(browser, site, 'baseline'))
      heaps.set(name, [...(heaps.get(name) ?? []), over])
    }
  }
} finally {
  await browser.close()
  for (const { name, site, collector } of builds) {
    await site.close()
    const problem = await collector.stopAndCheck()
    if (problem) {
      console.error(`FAILED: ${name}: the collector did not write what it accepted: ${problem}`)
      process.exitCode = 1
    }
  }
  await rm(folder, { recursive: true, force: true })
}

console.log(`${rounds} interleaved rounds, medians of the heap beside the page without a tag\n`)
console.log('| build | heap |\n|---|---:|')
for (const [name, values] of heaps) console.log(`| ${name} | ${(median(values) / 1000).toFixed(0)} KB |`)
