// The long crash test: `npm run crash-test -- [--rounds 100] [--clients 8] [--batch 20] [--kill-after 100-800]`.
// Kills the collector with SIGKILL at random moments under load, restarts it on the same data folder, and checks
// that every acknowledged id is in a published file, that no published line is cut, and that no file stays open.
import { parseArgs } from 'node:util'
import { crashRun } from '../packages/log/test/crash/crash-run.js'

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '100' },
    clients: { type: 'string', default: '8' },
    batch: { type: 'string', default: '20' },
    'kill-after': { type: 'string', default: '100-800' },
  },
})
const [low, high] = values['kill-after'].split('-').map(Number) as [number, number]
const started = Date.now()
const report = await crashRun({
  rounds: Number(values.rounds),
  clients: Number(values.clients),
  batchSize: Number(values.batch),
  killAfterMs: [low, high ?? low],
  log: (line) => console.log(line),
})
const failed = report.missing.length + report.partialLines.length + report.openFilesLeft.length + report.unknown.length
console.log(
  JSON.stringify(
    {
      ...report,
      missing: report.missing.length,
      partialLines: report.partialLines.length,
      seconds: (Date.now() - started) / 1000,
    },
    null,
    2,
  ),
)
if (failed) {
  console.error('FAILED', {
    missing: report.missing.slice(0, 20),
    partialLines: report.partialLines.slice(0, 20),
    openFilesLeft: report.openFilesLeft,
    unknown: report.unknown.slice(0, 20),
  })
  process.exitCode = 1
} else {
  console.log(
    `passed: ${report.rounds} kills, ${report.ackedIds} acknowledged ids all present, no partial line, no file left open`,
  )
}
