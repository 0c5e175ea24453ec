// Throughput and latency of batch POSTs and pixel GETs: `spoor serve` started the way a user starts it (the built
// `spoor` command; only the per-address rate limit is off, since the whole load comes from one address, and the
// cart detector's room holds every cart of the load, see below), with each durability (fsync, write) and the
// abandoned-cart detector on and off, beside a bare node:http server doing the same parse-and-append without fsync,
// on the same machine in the same run. Every request carries ids never sent before (a repeat would be skipped by
// the dedupe, unwritten), and once the servers have stopped every one must have written exactly the events it
// acknowledged, or the benchmark fails. Rounds alternate between the servers so that a neighbour's load falls on
// all of them. Everything talks to 127.0.0.1 and stops by itself (about 5 minutes with
// the defaults). Options (env): BENCH_SECONDS (2 per round), BENCH_ROUNDS (3, after one warm-up round),
// BENCH_CONCURRENCY (32,256: closed-loop connections; a durable answer waits for its group commit, so with few
// connections throughput is bounded by latency, with many by CPU — both are shown), BENCH_WARM_EVENTS (520,000).
import { cpus, loadavg } from 'node:os'
import { closedLoop } from './closed-loop.js'
import { buildCollector, pinLoadGenerator, type ServerSpec, startServerProcess } from './server-process.js'
import { batchEvents } from './unique-requests.js'
import { checkWritten } from './written-lines.js'

const seconds = Number(process.env.BENCH_SECONDS ?? 2)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const concurrencies = (process.env.BENCH_CONCURRENCY ?? '32,256').split(',').map(Number)
// `spoor serve` remembers the last 500,000 messageIds it wrote, and its visit memory 16 MB of visitors; a collector
// that has run a while has both full, and forgets its oldest entry for each new one. Before batch rounds, the
// warm-up goes on until each server has taken this many events, so that the rounds measure that steady state, not
// a fresh process's (whose memories are still filling: forgetting, not remembering, was what had become slow).
const warmEvents = Number(process.env.BENCH_WARM_EVENTS ?? 520_000)

// Every batch of the load is a new cart: the detector's default room (5,000 carts) would be full within the
// warm-up, and past it the detector turns carts away at the door, far cheaper than holding them. So that the rows
// measure the detector's whole work, each holds every cart of the run (the warm-up and the rounds make about 40,000).
const everyCart = ['--max-carts', '100000']
const specs: ServerSpec[] = [
  { name: 'bare node:http, no fsync', servers: ['bare'] },
  // The floor of any collector that writes spoor's lines with fsync: what is left when every check is skipped.
  { name: "floor: spoor's lines, the collector's sink (fsync)", servers: ['floor'] },
  { name: 'fsync, carts on (the defaults)', serve: ['--rate-limit-ip', '0', ...everyCart] },
  { name: 'fsync, carts off', serve: ['--rate-limit-ip', '0', '--cart-window', 'off'] },
  { name: 'write, carts on', serve: ['--rate-limit-ip', '0', '--durability', 'write', ...everyCart] },
  { name: 'write, carts off', serve: ['--rate-limit-ip', '0', '--durability', 'write', '--cart-window', 'off'] },
]

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const percent = (share: number) => (Number.isNaN(share) ? '?' : `${(share * 100).toFixed(0)}%`)
const loads = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')

buildCollector()
const pinned = pinLoadGenerator()
const began = performance.now()
console.log(
  `${new Date().toISOString()}: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average before: ${loads()}`,
)
console.log(
  pinned
    ? 'servers pinned to CPU 1, load generator to CPU 0'
    : 'not pinned: servers and load generator share every CPU',
)
console.log(
  `${rounds} rounds × ${seconds} s per server after a warm-up (for batches, until it has taken ${warmEvents.toLocaleString('en-US')} events), batches of ${batchEvents} events, every id new; figures are medians of the rounds`,
)
console.log(
  'servers start afresh for each load; "server CPU" is the server process\'s (every thread: near 100% on its one CPU, it was busy all the time; well under, it waited, for its disk say), "generator CPU" the load generator\'s own (near 100%: it, not the server, was the limit)\n',
)
console.log('| load | server | events/s | p50 ms | p99 ms | × bare | errors | server CPU | generator CPU |')
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|')

const failures: string[] = []
let checked = 0
const runs = (['batch', 'pixel'] as const).flatMap((kind) =>
  concurrencies.map((concurrency) => [kind, concurrency] as const),
)
for (const [kind, concurrency] of runs) {
  const servers = await Promise.all(specs.map((spec) => startServerProcess(spec, pinned)))
  try {
    const perServer = servers.map(() => ({
      eventsPerSecond: [] as number[],
      p50: [] as number[],
      p99: [] as number[],
      cpu: [] as number[],
      serverCpu: [] as number[],
      errors: 0,
      acknowledged: 0,
    }))
    for (let round = -1; round < rounds; round++) {
      for (const [i, server] of servers.entries()) {
        const cpuBefore = server.cpuSeconds()
        const result = await closedLoop(server.port, kind, concurrency, seconds)
        const serverCpu = (server.cpuSeconds() - cpuBefore) / result.seconds
        const entry = perServer[i]!
        entry.acknowledged += result.acknowledged
        entry.errors += result.errors
        // Round -1 warms up (JIT, file creation, connections, full memories): counted for the check, not in the
        // figures.
        if (round < 0) {
          for (let taken = result.acknowledged; kind === 'batch' && taken < warmEvents; ) {
            const more = await closedLoop(server.port, kind, concurrency, seconds)
            entry.acknowledged += more.acknowledged
            entry.errors += more.errors
            taken += more.acknowledged
            if (more.acknowledged === 0) break
          }
          continue
        }
        const sorted = result.latencies.sort((a, b) => a - b)
        entry.eventsPerSecond.push(result.acknowledged / result.seconds)
        entry.p50.push(percentile(sorted, 50))
        entry.p99.push(percentile(sorted, 99))
        entry.cpu.push(result.generatorCpu)
        entry.serverCpu.push(serverCpu)
      }
    }
    const bare = median(perServer[0]!.eventsPerSecond)
    const load = `${kind === 'batch' ? `batch of ${batchEvents}` : 'pixel'}, ${concurrency} conn.`
    for (const [i, server] of servers.entries()) {
      const entry = perServer[i]!
      const events = median(entry.eventsPerSecond)
      const name = 'serve' in specs[i]! ? `spoor serve: ${server.name}` : server.name
      console.log(
        `| ${load} | ${name} | ${events.toFixed(0)} | ${median(entry.p50).toFixed(1)} | ${median(entry.p99).toFixed(1)} | ${(events / bare).toFixed(2)} | ${entry.errors} | ${percent(median(entry.serverCpu))} | ${percent(median(entry.cpu))} |`,
      )
    }
    await Promise.all(servers.map((server) => server.stop()))
    for (const [i, server] of servers.entries()) {
      const problem = await checkWritten(
        `${server.name}, ${kind} at ${concurrency}`,
        server.dir,
        perServer[i]!.acknowledged,
      )
      if (problem) failures.push(problem)
      checked += perServer[i]!.acknowledged
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop().catch(() => {})))
    await Promise.all(servers.map((server) => server.remove()))
  }
}
console.log(`\nload average after: ${loads()}; ${((performance.now() - began) / 60_000).toFixed(1)} minutes in all`)
if (failures.length > 0) {
  console.error(
    `\nFAILED: a server did not write what it acknowledged, so its figures above are not of a collector that keeps events:\n- ${failures.join('\n- ')}`,
  )
  process.exitCode = 1
} else
  console.log(
    `written: every server wrote exactly the events it acknowledged (${checked.toLocaleString('en-US')} in all, read back from the published files)`,
  )
