// One process of the report benchmark: the dashboard's views over a data folder, as `spoor serve` builds them. The
// first build is cold (a fresh process and DuckDB), the second the same view warm, the third a changed filter.
// Prints a JSON line after each (its milliseconds, events, and the process's peak resident memory so far), so a step
// that overruns the benchmark's time limit leaves the ones before it.
import { buildReport } from '@spoor/report'

const [dataDir, endText, source, page] = process.argv.slice(2)
const end = new Date(endText!)
const view = { dataDir: dataDir!, from: new Date(end.getTime() - 30 * 86_400_000), to: end, now: end }

const timed = async (step: string, build: () => Promise<{ events: number }>) => {
  const start = performance.now()
  const { events } = await build()
  const ms = Math.round(performance.now() - start)
  console.log(JSON.stringify({ step, ms, events, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }))
}

await timed('cold', () => buildReport(view))
await timed('warm', () => buildReport(view))
await timed('bySource', () => buildReport({ ...view, filters: { source: source! } }))
await timed('byPage', () => buildReport({ ...view, filters: { source: source!, page: page! } }))
