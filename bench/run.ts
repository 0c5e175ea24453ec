// Runs every bench/*.bench.ts in turn, each in a process of its own so one cannot warm or starve the next.
// A benchmark prints its own table; figures are ratios against a baseline measured side by side in that process.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
// `npm run bench -- report --events 100000`: words pick benchmarks, `--name value` pairs go to each of them.
const args = process.argv.slice(2)
const options = args.flatMap((word, i) => (word.startsWith('--') ? [word, args[i + 1]!] : []))
const only = args.filter((word, i) => !word.startsWith('--') && !args[i - 1]?.startsWith('--'))
const files = readdirSync(here)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((word) => name.includes(word)))
  .sort()

if (files.length === 0) console.log('no benchmarks found in bench/')
let failed = false
for (const file of files) {
  console.log(`\n## ${file}\n`)
  const run = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', here + file, ...options], {
    stdio: 'inherit',
  })
  if (run.status !== 0) failed = true
}
process.exitCode = failed ? 1 : 0
