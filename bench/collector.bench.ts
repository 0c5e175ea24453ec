// Throughput and latency of batch POSTs and pixel GETs: the spoor collector (fsync group commit, and
// --durability write) beside a bare node:http server doing the same parse-and-append without fsync, on the same
// machine in the same run. Rounds alternate between the servers so that a neighbour's load falls on all of them.
// Everything talks to 127.0.0.1 and stops by itself. Options (env): BENCH_SECONDS (2 per round), BENCH_ROUNDS (5),
// BENCH_CONCURRENCY (32,256: closed-loop connections; a durable answer waits a few ms for its group commit, so
// with few connections throughput is bounded by latency, with many by CPU — both are shown).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const seconds = Number(process.env.BENCH_SECONDS ?? 2)
const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const concurrencies = (process.env.BENCH_CONCURRENCY ?? '32,256').split(',').map(Number)
const serverScript = fileURLToPath(new URL('./collector-servers.ts', import.meta.url))

interface Running {
  name: string
  port: number
  process: ChildProcess
  dir: string
}

// With two or more CPUs (and `taskset`), every server runs on CPU 1 and this load generator on CPU 0: unpinned,
// where the scheduler happens to put a server's threads beside the generator's moved a server's figure by up to
// 40% from one process to the next, more than any change to the server did. BENCH_PIN=0 turns it off.
const pinned =
  process.env.BENCH_PIN !== '0' &&
  cpus().length >= 2 &&
  spawnSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' }).status === 0

async function startServer(name: string, args: string[]): Promise<Running> {
  const dir = await mkdtemp(join(tmpdir(), `spoor-bench-${name}-`))
  const node = [process.execPath, '--conditions=source', '--import', 'tsx', serverScript, args[0]!, dir, ...args.slice(1)]
  const [command, ...rest] = pinned ? ['taskset', '-c', '1', ...node] : node
  const child = spawn(command!, rest, { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk) => {
      out += chunk
      const match = /"port":(\d+)/.exec(out)
      if (match) resolve(Number(match[1]))
    })
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)))
  })
  return { name, port, process: child, dir }
}

async function stop(server: Running) {
  const exited = new Promise((resolve) => server.process.once('exit', resolve))
  server.process.kill('SIGTERM')
  await exited
  await rm(server.dir, { recursive: true, force: true })
}

const event = (i: number) => ({
  type: 'track',
  event: 'Product Added',
  messageId: `${process.pid}-${Date.now()}-${i}-${Math.random()}`,
  anonymousId: '3f6c1e2a-8f0b-4c55-9d43-2f1a9b7c6e10',
  properties: { product_id: 'p-1', name: 'Linen shirt', price: 49.5, quantity: 1, currency: 'EUR', cart_id: 'c-1' },
  context: {
    page: { path: '/shop/linen-shirt', url: 'https://shop.example/shop/linen-shirt', title: 'Linen shirt', referrer: '' },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    locale: 'en-GB',
    timezone: 'Europe/Paris',
    library: { name: 'spoor', version: '0.1.0' },
  },
  originalTimestamp: new Date().toISOString(),
})
const batchEvents = 20
const batchBody = () => JSON.stringify({ writeKey: 'bench-key', sentAt: new Date().toISOString(), batch: Array.from({ length: batchEvents }, (_, i) => event(i)) })

interface Result {
  requests: number
  errors: number
  latencies: number[]
  seconds: number
}

/** A closed loop: `concurrency` workers each send a request, wait for its answer, and send the next. */
async function load(port: number, kind: 'batch' | 'pixel', concurrency: number): Promise<Result> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  const bodies = Array.from({ length: 64 }, batchBody)
  const latencies: number[] = []
  let errors = 0
  let n = 0
  const started = performance.now()
  const deadline = started + seconds * 1000
  const once = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now()
      const body = kind === 'batch' ? bodies[n++ % bodies.length]! : undefined
      const req = request(
        {
          host: '127.0.0.1',
          port,
          agent,
          method: kind === 'batch' ? 'POST' : 'GET',
          path: kind === 'batch' ? '/v1/batch' : `/p.gif?k=bench-key&e=Email%20Opened&campaign_id=c${n++ % 100}&email_id=e1`,
          headers: kind === 'batch' ? { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body!) } : { 'user-agent': 'Mozilla/5.0 Chrome/131' },
        },
        (res) => {
          res.resume()
          res.on('end', () => {
            if (res.statusCode === 200) latencies.push(performance.now() - t0)
            else errors++
            resolve()
          })
        },
      )
      req.on('error', () => {
        errors++
        resolve()
      })
      req.end(body)
    })
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) await once()
    }),
  )
  agent.destroy()
  return { requests: latencies.length, errors, latencies, seconds: (performance.now() - started) / 1000 }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

const servers = [
  await startServer('bare', ['bare']),
  await startServer('spoor-fsync', ['spoor', 'fsync']),
  await startServer('spoor-write', ['spoor', 'write']),
]
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
console.log(pinned ? 'servers pinned to CPU 1, load generator to CPU 0' : 'not pinned: servers and load generator share every CPU')
console.log(`${rounds} rounds × ${seconds} s per server, kind and concurrency (keep-alive connections), batches of ${batchEvents} events\n`)

try {
  const runs = (['batch', 'pixel'] as const).flatMap((kind) => concurrencies.map((concurrency) => [kind, concurrency] as const))
  for (const [kind, concurrency] of runs) {
    const perServer = new Map<string, { rps: number[]; p50: number[]; p99: number[]; errors: number }>()
    for (const server of servers) perServer.set(server.name, { rps: [], p50: [], p99: [], errors: 0 })
    // Warm-up: JIT, file creation, connection set-up.
    for (const server of servers) await load(server.port, kind, concurrency)
    for (let round = 0; round < rounds; round++) {
      for (const server of servers) {
        const result = await load(server.port, kind, concurrency)
        const sorted = result.latencies.sort((a, b) => a - b)
        const entry = perServer.get(server.name)!
        entry.rps.push(result.requests / result.seconds)
        entry.p50.push(percentile(sorted, 50))
        entry.p99.push(percentile(sorted, 99))
        entry.errors += result.errors
      }
    }
    const bare = median(perServer.get('bare')!.rps)
    console.log(`### ${kind === 'batch' ? `POST /v1/batch (${batchEvents} events)` : 'GET /p.gif'}, ${concurrency} connections\n`)
    console.log('| server | req/s (median) | events/s | p50 ms | p99 ms | errors | × bare |')
    console.log('|---|---:|---:|---:|---:|---:|---:|')
    for (const [name, entry] of perServer) {
      const rps = median(entry.rps)
      const events = rps * (kind === 'batch' ? batchEvents : 1)
      console.log(
        `| ${name} | ${rps.toFixed(0)} | ${events.toFixed(0)} | ${median(entry.p50).toFixed(2)} | ${median(entry.p99).toFixed(2)} | ${entry.errors} | ${(rps / bare).toFixed(2)} |`,
      )
    }
    console.log('')
  }
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
} finally {
  for (const server of servers) await stop(server)
}
