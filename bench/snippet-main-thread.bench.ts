// Main-thread cost of the snippet in Chromium: the same page without spoor (baseline), with the core tag and with
// the full tag, loaded in turn, interacted with (clicks, scroll, mouse moves) and hidden. Reported: the renderer's
// task time and script time per page (CDP Performance metrics), as ratios to the baseline measured side by side
// in this run, and spoor's longest piece of main-thread work: the longest evaluation of a spoor script or call
// into one (trace events EvaluateScript and FunctionCall whose script is spoor's), which must stay under 50 ms.
// The pages' events go to a real collector; once it has stopped, its files must hold every event it accepted.
import type { Browser } from 'playwright-core'
import { buildSnippet } from '../packages/snippet/build.mjs'
import { launchChromium } from '../test/support/chromium.js'
import { startSite } from '../test/support/site-server.js'
import { startCountingCollector } from './counting-collector.js'

const runs = 15
const variants = ['baseline', 'core', 'full'] as const

async function measure(browser: Browser, url: string) {
  const context = await browser.newContext()
  const page = await context.newPage()
  await browser.startTracing(page, { categories: ['devtools.timeline'] })
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')
  await page.goto(url, { waitUntil: 'load' })
  await page.waitForTimeout(300)
  for (let i = 0; i < 10; i++) await page.click(`p:nth-child(${i * 20 + 1}) button`)
  for (let i = 0; i < 20; i++) await page.mouse.move(100 + i * 10, 100 + i * 5)
  await page.mouse.wheel(0, 3000)
  await page.waitForTimeout(200)
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')))
  const { metrics } = await cdp.send('Performance.getMetrics')
  const value = (name: string) => metrics.find((m) => m.name === name)!.value * 1000
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }
  const spoorWork = trace.traceEvents.filter(
    (e) => (e.name === 'EvaluateScript' || e.name === 'FunctionCall') && /\/spoor[\w.-]*\.js/.test(e.args?.data?.url ?? ''),
  )
  const longest = Math.max(0, ...spoorWork.map((e) => (e.dur ?? 0) / 1000))
  await context.close()
  return { task: value('TaskDuration'), script: value('ScriptDuration'), longest }
}

interface TraceEvent {
  name: string
  dur?: number
  args?: { data?: { url?: string } }
}

const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]!

await buildSnippet()
const collector = await startCountingCollector()
const site = await startSite(() => collector.url)
const browser = await launchChromium()
let notWritten: string | undefined
const results: Record<string, { task: number; script: number; longest: number }[]> = { baseline: [], core: [], full: [] }
try {
  for (let run = 0; run < runs; run++) {
    // Rotate the order, so that no variant always runs first or last.
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(run + i) % variants.length]!
      results[variant]!.push(await measure(browser, `${site.url}/capture/bench-${variant}.html`))
    }
  }
} finally {
  await browser.close()
  await site.close()
  notWritten = await collector.stopAndCheck()
}

const base = { task: median(results.baseline!.map((r) => r.task)), script: median(results.baseline!.map((r) => r.script)) }
console.log(`${runs} runs per variant, medians; ratios against the page without spoor\n`)
console.log('| page | task ms | × baseline | script ms | × baseline | longest spoor task ms, median / worst run |')
console.log('|---|---:|---:|---:|---:|---:|')
for (const variant of variants) {
  const task = median(results[variant]!.map((r) => r.task))
  const script = median(results[variant]!.map((r) => r.script))
  const longest = results[variant]!.map((r) => r.longest)
  console.log(`| ${variant} | ${task.toFixed(1)} | ${(task / base.task).toFixed(2)} | ${script.toFixed(1)} | ${(script / base.script).toFixed(2)} | ${variant === 'baseline' ? '–' : `${median(longest).toFixed(1)} / ${Math.max(...longest).toFixed(1)}`} |`)
}
if (notWritten) {
  console.error(`\nFAILED: the collector did not write what it accepted: ${notWritten}`)
  process.exitCode = 1
} else {
  const { accepted, duplicates } = collector.counts
  console.log(`\nwritten: the collector accepted ${accepted.toLocaleString('en-US')} events from the pages (and skipped ${duplicates} repeats), as many lines in its files`)
}
