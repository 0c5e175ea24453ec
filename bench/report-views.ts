// One process of the report benchmark: the dashboard's views over a data folder, requested from the dashboard route
// as `spoor serve` mounts it — the report, the previous period's headline beside it and the visitors of the last
// five minutes — with its page cache off, so that every request builds its page. The first request is cold (a
// fresh process and DuckDB), the second the same view warm, the third and fourth add filters. Prints a JSON line
// after each (its milliseconds, events, the panels that could not be computed, and the process's peak resident memory
// so far), so a step that overruns the benchmark's time limit leaves the ones before it.
import { parseConfig } from '@spoor/collector'
import { dashboard } from '@spoor/report'
import { failedPanels } from './failed-panels.js'

const [dataDir, endText, source, page] = process.argv.slice(2)
const end = new Date(endText!)
const token = 'bench-dashboard-token-0123456789'
const app = dashboard({
  config: parseConfig({ sites: [{ writeKey: 'shop', origins: [] }], dashboard: { token } }),
  dataDir: dataDir!,
  presentsToken: () => true,
  cacheMs: 0,
  now: () => end,
})

const timed = async (step: string, query: Record<string, string>) => {
  const start = performance.now()
  const response = await app.request(`/dashboard?${new URLSearchParams({ period: '30d', ...query })}`)
  const html = await response.text()
  const ms = Math.round(performance.now() - start)
  if (response.status !== 200)
    throw new Error(`${step}: the dashboard answered ${response.status}: ${html.slice(0, 200)}`)
  // The page's header says how many events the view holds.
  const events = Number(/([\d,]+) events/.exec(html)?.[1]?.replaceAll(',', '') ?? Number.NaN)
  const failed = failedPanels(html)
  console.log(JSON.stringify({ step, ms, events, failed, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }))
}

await timed('cold', {})
await timed('warm', {})
await timed('bySource', { source: source! })
await timed('byPage', { source: source!, page: page! })
