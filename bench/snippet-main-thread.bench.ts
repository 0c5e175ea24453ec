// spoor's tags side by side with the peers' published files in Chromium, the CPU throttled 4× (CDP
// Emulation.setCPUThrottlingRate): the same product page of 300 elements with each tag and without any, loaded in
// interleaved rounds (each round in a rotated order, a new browser context per page: a first visit each time),
// interacted with (clicks, mouse moves, a scroll) and hidden. Per tag, the medians over the rounds of:
// - main thread: the time the main thread spent in the tag's script (its evaluation and compilation, and every call
//   into it: timers, event listeners, IndexedDB and network callbacks; trace events), nested calls counted once.
//   The renderer's whole task time with the tag, minus the page's without one in the same round, is printed too:
//   it counts what the tag causes besides (promise callbacks, garbage collection), but on a shared machine its
//   noise (the browser's own input handling and layout) is larger than the smaller tags' cost;
// - longest task: the longest main-thread task in which the tag's script ran (the goal: none over 50 ms);
// - first event sent: from the page's request to the first request to the tag's event endpoint (CDP Network);
// - heap: JS heap in use after a forced garbage collection, minus the page's without a tag in the same round.
// Every request stays on 127.0.0.1. spoor's events go to a real collector; once it has stopped, its files must
// hold every event it accepted. `SPOOR_BENCH_ROUNDS` sets the rounds (default 15).

import { readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { brotliCompressSync } from 'node:zlib'
import type { Browser, CDPSession } from 'playwright-core'
import { buildSnippet } from '../packages/snippet/build.mjs'
import { launchChromium } from '../test/support/chromium.js'
import { startCountingCollector } from './counting-collector.js'
import { startPeerSite, type Tag, tagFile, tags, visitLikeAPerson } from './peer-site.js'
import { peerVersions } from './peer-tags.js'
import { scriptWork, type TraceEvent } from './tag-trace.js'

const rounds = Number(process.env.SPOOR_BENCH_ROUNDS ?? 15)
const throttle = 4

interface Sample {
  task: number
  own: number
  longestTask: number
  firstEvent: number
  heap: number
}

async function measure(browser: Browser, tag: Tag, url: string, scriptUrl: string | undefined): Promise<Sample> {
  const context = await browser.newContext()
  const page = await context.newPage()
  const cdp: CDPSession = await context.newCDPSession(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle })
  await cdp.send('Performance.enable')
  await cdp.send('Network.enable')
  let navigatedAt: number | undefined
  let firstEvent = NaN
  const events = tag === 'baseline' ? undefined : tagFile[tag].events
  cdp.on('Network.requestWillBeSent', ({ request, timestamp, type }) => {
    if (type === 'Document' && navigatedAt === undefined) navigatedAt = timestamp
    else if (events && Number.isNaN(firstEvent) && events.test(request.url) && navigatedAt !== undefined)
      firstEvent = (timestamp - navigatedAt) * 1000
  })
  await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'v8.execute'] })
  await page.goto(url, { waitUntil: 'load' })
  // Interactions start once the tag's page view has left (at most 10 s): the same moment of the page for every tag.
  const start = Date.now()
  while (events && Number.isNaN(firstEvent) && Date.now() - start < 10_000) await page.waitForTimeout(20)
  await visitLikeAPerson(page)
  await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  const { metrics } = await cdp.send('Performance.getMetrics')
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }
  await context.close()
  const work = scriptUrl ? scriptWork(trace.traceEvents, scriptUrl) : { longestTask: 0, own: 0 }
  return { task: metrics.find((m) => m.name === 'TaskDuration')!.value * 1000, ...work, firstEvent, heap: usedSize }
}

const median = (values: number[]) => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b)
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : NaN
}

await buildSnippet()
const collector = await startCountingCollector()
const site = await startPeerSite(collector.url)
const browser = await launchChromium()
const samples = Object.fromEntries(tags.map((tag) => [tag, [] as Sample[]])) as Record<Tag, Sample[]>
const scriptUrl = (tag: Tag) => {
  if (tag === 'baseline') return undefined
  const { file } = tagFile[tag]
  return file.startsWith('spoor')
    ? `${collector.url}/${file}`
    : `${new URL(site.url('baseline').replace('localhost', '127.0.0.1')).origin}/${file}`
}
const load = [loadavg()[0]!]
let notWritten: string | undefined
try {
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < tags.length; i++) {
      const tag = tags[(round + i) % tags.length]!
      samples[tag].push(await measure(browser, tag, site.url(tag), scriptUrl(tag)))
    }
    load.push(loadavg()[0]!)
  }
} finally {
  await browser.close()
  await site.close()
  notWritten = await collector.stopAndCheck()
}

const dist = new URL('../packages/snippet/dist/', import.meta.url)
const brotli = (tag: Exclude<Tag, 'baseline'>) => {
  const { file } = tagFile[tag]
  const source = file.startsWith('spoor') ? readFileSync(new URL(file, dist)) : Buffer.from(site.files[file]!)
  return brotliCompressSync(source).length
}
// Per round, against the page without a tag measured in that same round.
const delta = (tag: Tag, field: 'task' | 'heap') =>
  median(samples[tag].map((s, round) => s[field] - samples.baseline[round]![field]))
const versions: Record<string, string> = {
  Umami: peerVersions.umami,
  Plausible: peerVersions.plausible,
  Segment: peerVersions.segment,
}

console.log(
  `${rounds} interleaved rounds, CPU throttled ${throttle}×, medians; load average ${Math.min(...load).toFixed(2)}–${Math.max(...load).toFixed(2)} (1-minute, during the run; the machine's ${cpus().length} cores are shared)\n`,
)
console.log(
  '| tag | brotli | main thread, median | longest task (median / worst) | first event sent | heap | task time Δ |',
)
console.log('|---|---:|---:|---:|---:|---:|---:|')
for (const tag of tags) {
  if (tag === 'baseline') continue
  const s = samples[tag]
  const name = versions[tag] ? `${tag} ${versions[tag]}` : tag
  console.log(
    `| ${name} | ${(brotli(tag) / 1000).toFixed(1)} KB (${brotli(tag)} B) | ${median(s.map((x) => x.own)).toFixed(0)} ms | ` +
      `${median(s.map((x) => x.longestTask)).toFixed(0)} / ${Math.max(...s.map((x) => x.longestTask)).toFixed(0)} ms | ` +
      `${median(s.map((x) => x.firstEvent)).toFixed(0)} ms | ${(delta(tag, 'heap') / 1000).toFixed(0)} KB | ${delta(tag, 'task').toFixed(0)} ms |`,
  )
}
const baseline = samples.baseline
console.log(
  `\npage without a tag: ${median(baseline.map((s) => s.task)).toFixed(0)} ms main thread, ${(median(baseline.map((s) => s.heap)) / 1000).toFixed(0)} KB heap`,
)
const missing = tags.filter((t) => t !== 'baseline' && samples[t].some((s) => Number.isNaN(s.firstEvent)))
if (missing.length) console.log(`no event seen in some rounds of: ${missing.join(', ')}`)
if (notWritten) {
  console.error(`\nFAILED: the collector did not write what it accepted: ${notWritten}`)
  process.exitCode = 1
} else {
  const { accepted, duplicates } = collector.counts
  console.log(
    `written: the collector accepted ${accepted.toLocaleString('en-US')} events from spoor's pages (and skipped ${duplicates} repeats), as many lines in its files`,
  )
}
