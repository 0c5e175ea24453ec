// Memory under overload: the collector (a child process, --max-in-flight 6MB as by default, or OVERLOAD_CAP) is sent far more than it may hold —
// 1,000 batches of ~400 KB from 200 connections at once, to 127.0.0.1 — and stops by itself. Prints the peak bytes
// in flight (from /metrics), the process's peak resident memory (VmHWM) against an unloaded baseline, and how many
// requests got 503 with Retry-After. The cap bounds request bytes; the rest of the process is Node's own. Every
// event carries ids never sent before, and once the collector has stopped its published files must hold exactly
// the events it acknowledged with a 2xx, or the benchmark fails.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serveOnFreePort } from '../test/support/run-cli.js'
import { buildCollector, spoorBin } from './server-process.js'
import { checkWritten } from './written-lines.js'

const cap = process.env.OVERLOAD_CAP ?? '6MB'
const dir = await mkdtemp(join(tmpdir(), 'spoor-overload-'))
await writeFile(join(dir, 'spoor.config.json'), JSON.stringify({ sites: [{ writeKey: 'load-key', origins: ['*'] }] }))
// The built `spoor` command, as a user runs it.
buildCollector()
const child = spawn(
  process.execPath,
  [
    spoorBin,
    ...serveOnFreePort,
    '--data',
    join(dir, 'data'),
    '--config',
    join(dir, 'spoor.config.json'),
    '--max-in-flight',
    cap,
    '--rate-limit-ip',
    '0',
    '--min-free',
    '0',
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
)
const url = await new Promise<string>((resolve) => {
  let out = ''
  child.stdout!.on('data', (chunk) => {
    out += chunk
    const match = /"url":"(http:[^"]+)"/.exec(out)
    if (match) resolve(match[1]!)
  })
})
const hwm = async () => Number(/VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024
const rss = async () => Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024

// Warm up with a few ordinary requests, then take the baseline.
let acknowledged = 0
const acknowledgedIn = (status: number, text: string) =>
  status >= 200 && status < 300
    ? Number(/"accepted":(\d+)/.exec(text)![1]) + Number(/"duplicates":(\d+)/.exec(text)?.[1] ?? 0)
    : 0
for (let i = 0; i < 50; i++) {
  const small = JSON.stringify({
    writeKey: 'load-key',
    batch: [{ type: 'page', anonymousId: `w${i}`, messageId: `w${i}` }],
  })
  const answer = await fetch(url + '/v1/batch', { method: 'POST', body: small })
  acknowledged += acknowledgedIn(answer.status, await answer.text())
}
const baseline = await rss()

const pad = 'x'.repeat(30_000)
const body = (n: number) =>
  JSON.stringify({
    writeKey: 'load-key',
    batch: Array.from({ length: 13 }, (_, i) => ({
      type: 'track',
      event: 'Load',
      anonymousId: `a${n}`,
      messageId: `o${n}-${i}`,
      properties: { pad },
    })),
  })
const agent = new Agent({ keepAlive: true, maxSockets: 200 })
const statuses = new Map<string, number>()
let sent = 0
const started = performance.now()
await Promise.all(
  Array.from({ length: 200 }, async () => {
    while (sent < 1000) {
      const text = body(sent++)
      const result = await new Promise<string>((resolve) => {
        const req = request(
          url + '/v1/batch',
          {
            agent,
            method: 'POST',
            headers: { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) },
          },
          (res) => {
            let answer = ''
            res.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk))
            res.on('end', () => {
              acknowledged += acknowledgedIn(res.statusCode ?? 0, answer)
              resolve(
                `${res.statusCode}${res.statusCode === 503 ? (res.headers['retry-after'] ? ' with Retry-After' : ' WITHOUT Retry-After') : ''}`,
              )
            })
          },
        )
        req.on('error', (error) => resolve(`error ${error.message}`))
        req.end(text)
      })
      statuses.set(result, (statuses.get(result) ?? 0) + 1)
    }
  }),
)
const seconds = (performance.now() - started) / 1000
const metrics = await (await fetch(url + '/metrics')).text()
const peakInFlight = Number(/^spoor_in_flight_bytes_peak (\d+)$/m.exec(metrics)![1]) / 1024 / 1024
const peakRss = await hwm()
agent.destroy()
child.kill('SIGTERM')
await new Promise((resolve) => child.once('exit', resolve))
const notWritten = await checkWritten('spoor serve', join(dir, 'data'), acknowledged)
await rm(dir, { recursive: true, force: true })

console.log(
  `1000 batches of ${(Buffer.byteLength(body(0)) / 1024).toFixed(0)} KB from 200 connections in ${seconds.toFixed(1)} s, cap ${cap} in flight\n`,
)
console.log('| answer | requests |\n|---|---:|')
for (const [status, n] of [...statuses].sort()) console.log(`| ${status} | ${n} |`)
console.log(`\npeak bytes in flight: ${peakInFlight.toFixed(1)} MiB (cap ${cap})`)
console.log(
  `resident memory: ${baseline.toFixed(0)} MiB before, peak ${peakRss.toFixed(0)} MiB (VmHWM; includes Node's own heap growth and GC slack)`,
)
if (notWritten) {
  console.error(`\nFAILED: the collector did not write what it acknowledged: ${notWritten}`)
  process.exitCode = 1
} else
  console.log(
    `written: ${acknowledged.toLocaleString('en-US')} events acknowledged, as many lines in the published files`,
  )
