// The report over a large data folder: synthetic events in the collector's published layout (default 10 million
// over the 40 days before the end; `npm run bench -- report --events 1000000` for a quicker run), compacted once,
// then the dashboard's views of the last 30 days (cold in a fresh process, warm, then with a filter) and `spoor
// report --out`, each timed, with peak memory. The folder lives under the temp folder and is removed at the end.
//
// A view compares its 30 days with the 30 before, as a site with a history has them: so the traffic goes on at the
// same rate for the 20 days before those 40 (half as many events again). With 40 days alone, the period compared held
// 10 of its 30 days, and its headline cost each view about half a second less than a whole one does.
import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { failedPanels } from './failed-panels.js'
import { writeEvents } from './report-events.js'
import { buildCollector, spoorBin } from './server-process.js'

const { values } = parseArgs({ options: { events: { type: 'string' }, 'limit-minutes': { type: 'string' } } })
// A step still running after this long is reported as unfinished rather than waited for.
const limitMs = Number(values['limit-minutes'] ?? 15) * 60_000
const wanted = Number(values.events ?? 10_000_000)
if (!Number.isInteger(wanted) || wanted < 1000) throw new Error(`--events ${values.events}: give a whole number ≥ 1000`)
// `--events` counts the 40 days before the end; the 20 before those go on at the same rate (see above).
const countedDays = 40
const days = countedDays + 20
// A fixed end: the figures do not depend on the day the benchmark runs.
const end = new Date('2026-03-10T00:00:00.000Z')
const views = fileURLToPath(new URL('./report-views.ts', import.meta.url))
const targets = { coldMs: 5_000, warmMs: 1_000, filterMs: 1_000, reportMs: 10_000, rssMb: 1_024 }

/** Runs a command under /usr/bin/time: its wall time, peak RSS and output. */
function measured(command: string, args: string[], timeout?: number) {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    ...(timeout ? { timeout, killSignal: 'SIGKILL' } : {}),
  })
  if (run.signal) return { ms: Number.POSITIVE_INFINITY, rssMb: 0, stdout: '', stderr: '' }
  if (run.status !== 0) {
    console.log(
      `${args.slice(1, 2).join(' ')} failed: ${/Error: ([^\n]*)/.exec(run.stderr)?.[1]?.slice(0, 120) ?? run.stderr.slice(0, 200)}`,
    )
    return { ms: Number.NaN, rssMb: 0, stdout: '', stderr: run.stderr }
  }
  const [seconds, kb] = run.stderr.trim().split('\n').at(-1)!.split(' ').map(Number)
  return { ms: Math.round(seconds! * 1000), rssMb: Math.round(kb! / 1024), stdout: run.stdout, stderr: run.stderr }
}

const shown = (ms: number) =>
  Number.isNaN(ms)
    ? 'failed'
    : Number.isFinite(ms)
      ? ms < 10_000
        ? `${ms} ms`
        : `${(ms / 1000).toFixed(1)} s`
      : `unfinished after ${limitMs / 60_000} min`
const verdict = (value: number, limit: number) => (value <= limit ? 'met' : 'NOT met')

buildCollector()
const dataDir = await mkdtemp(join(tmpdir(), 'spoor-report-bench-'))
try {
  const start = performance.now()
  const made = writeEvents(dataDir, { events: Math.round((wanted * days) / countedDays), end, days })
  const generatedS = (performance.now() - start) / 1000
  console.log(
    `generated ${made.events.toLocaleString('en')} events over ${days} days, ${made.sessions.toLocaleString('en')} sessions, ` +
      `${made.files.toLocaleString('en')} files, ${(made.bytes / 1e9).toFixed(2)} GB of NDJSON in ${generatedS.toFixed(0)} s`,
  )

  const compaction = measured(process.execPath, [spoorBin, 'compact', dataDir])
  console.log(compaction.stdout.split('\n')[0])
  const again = measured(process.execPath, [spoorBin, 'compact', dataDir])
  const parquetBytes = spawnSync('du', ['-sb', join(dataDir, 'compacted')], { encoding: 'utf8' }).stdout.split('\t')[0]

  const viewRun = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', views, dataDir, end.toISOString(), made.sampleSource, made.samplePage],
    { encoding: 'utf8', timeout: limitMs, killSignal: 'SIGKILL' },
  )
  type Step = { step: string; ms: number; events: number; failed: string[]; maxRssMb: number }
  const steps = viewRun.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Step)
  // A view that fails (DuckDB out of its memory, say) is a result too: the step shows the error, the rest still runs.
  const failure =
    viewRun.status !== 0 && viewRun.signal === null
      ? (/Error: ([^\n]*)/.exec(viewRun.stderr)?.[1]?.slice(0, 120) ?? 'failed')
      : undefined
  if (failure) console.log(`the dashboard views stopped: ${failure}`)
  const unfinished: Step = {
    step: '',
    ms: failure ? Number.NaN : Number.POSITIVE_INFINITY,
    events: 0,
    failed: [],
    maxRssMb: 0,
  }
  const stepOf = (name: string) => steps.find((s) => s.step === name) ?? unfinished
  const v = {
    cold: stepOf('cold'),
    warm: stepOf('warm'),
    bySource: stepOf('bySource'),
    byPage: stepOf('byPage'),
    maxRssMb: Math.max(0, ...steps.map((s) => s.maxRssMb)),
  }

  const out = join(dataDir, 'report.html')
  const from = new Date(end.getTime() - 30 * 86_400_000).toISOString()
  const cli = measured(
    process.execPath,
    [spoorBin, 'report', dataDir, '--out', out, '--from', from, '--to', end.toISOString()],
    limitMs,
  )
  const html = cli.ms < limitMs ? await readFile(out, 'utf8').catch(() => '') : ''
  // A page whose panels could not all be computed answered without their work: its time meets no target.
  const checked = (ms: number, limit: number, failed: string[]) =>
    failed.length ? `NOT met: panels failed (${failed.join(', ')})` : verdict(ms, limit)

  const rows = [
    ['step', 'time', 'peak RSS', 'target', ''],
    ['compact (first run)', `${(compaction.ms / 1000).toFixed(1)} s`, `${compaction.rssMb} MB`, 'minutes, once', ''],
    ['compact (again, nothing new)', `${again.ms} ms`, `${again.rssMb} MB`, '—', ''],
    [
      'first view, 30 days, cold',
      shown(v.cold.ms),
      `${v.maxRssMb} MB`,
      '≤ 5 s, ≤ 1 GB',
      checked(v.cold.ms, targets.coldMs, v.cold.failed),
    ],
    ['same view, warm', shown(v.warm.ms), '', '≤ 1 s', checked(v.warm.ms, targets.warmMs, v.warm.failed)],
    [
      `filter source=${made.sampleSource}`,
      shown(v.bySource.ms),
      '',
      '≤ 1 s',
      checked(v.bySource.ms, targets.filterMs, v.bySource.failed),
    ],
    [
      `  + page=${made.samplePage}`,
      shown(v.byPage.ms),
      '',
      '≤ 1 s',
      checked(v.byPage.ms, targets.filterMs, v.byPage.failed),
    ],
    [
      'spoor report --out',
      shown(cli.ms),
      `${cli.rssMb} MB`,
      '≤ 10 s',
      checked(cli.ms, targets.reportMs, failedPanels(html)),
    ],
  ]
  console.log(`\n${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}\n`)
  console.log(
    `events in the 30-day view: ${v.cold.events.toLocaleString('en')} (source filter ${v.bySource.events.toLocaleString('en')}, ` +
      `+ page ${v.byPage.events.toLocaleString('en')}); compacted days (Parquet, cart checkpoints) ${(Number(parquetBytes) / 1e9).toFixed(2)} GB; ` +
      `report page ${(html.length / 1024).toFixed(0)} KB; peak RSS of the views ${v.maxRssMb} MB (${steps.length ? verdict(v.maxRssMb, targets.rssMb) : 'no view finished'} ≤ 1 GB)`,
  )
  if (Number.isFinite(v.warm.ms) && v.warm.events !== v.cold.events)
    throw new Error('the warm view counted other events')
} finally {
  await rm(dataDir, { recursive: true, force: true })
}
