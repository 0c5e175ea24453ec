// The stream path beside the local-file path, on the same machine in the same run: `spoor serve --stream` (2xx after
// JetStream's PubAck from a 3-node R3 cluster on this machine) with one `spoor sink` writing NDJSON, and `spoor
// serve` writing NDJSON itself (fsync). Both with --cart-window off: with --stream the detector runs in its own
// workers, which are not loaded here. Every request carries ids never sent before; afterwards each path must have
// written exactly the events it acknowledged (the sink's folder for the stream path), or the benchmark fails. Cost
// per event: the CPU time of every process of a path (collector; collector + sink + the three nats-servers) divided
// by the events it acknowledged, and the bytes the stream stores per event on each replica. Not pinned: the stream
// path is six processes on a machine of two CPUs. Rounds alternate between the paths. Options (env): BENCH_SECONDS
// (2 per round), BENCH_ROUNDS (5), BENCH_CONCURRENCY (32).
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { initStream, startSink, startSpoor, startStreamCollector } from '../test/support/fleet.js'
import { startNatsCluster } from '../test/support/nats-cluster.js'
import { serveOnFreePort } from '../test/support/run-cli.js'
import { closedLoop } from './closed-loop.js'
import { batchEvents } from './unique-requests.js'
import { checkWritten } from './written-lines.js'

const seconds = Number(process.env.BENCH_SECONDS ?? 2)
const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32)

const ticks = 100 // USER_HZ on Linux
/** CPU seconds a process has used (user + system), from /proc. */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ')
  return (Number(fields[11]) + Number(fields[12])) / ticks
}
const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0)
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const loads = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average before: ${loads()}`)
console.log(
  `${rounds} rounds × ${seconds} s per path after one warm-up, batches of ${batchEvents} events, ${concurrency} connections, every id new\n`,
)

const dir = await mkdtemp(join(tmpdir(), 'spoor-bench-fleet-'))
const config = join(dir, 'spoor.config.json')
await writeFile(config, JSON.stringify({ sites: [{ writeKey: 'bench-key', origins: ['*'] }] }))
const cluster = await startNatsCluster()
const failures: string[] = []
try {
  await initStream(cluster.servers, ['--max-bytes', '2GB'])
  const localDir = join(dir, 'local')
  const sinkDir = join(dir, 'sink')
  const local = await startSpoor(
    [...serveOnFreePort, '--config', config, '--data', localDir, '--rate-limit-ip', '0', '--cart-window', 'off'],
    /"url":"http:\/\/127\.0\.0\.1:(\d+)"/,
  )
  const streamed = await startStreamCollector(cluster.servers, config, ['--cart-window', 'off'])
  const sink = await startSink(cluster.servers, sinkDir)
  const paths = [
    {
      name: 'spoor serve, local NDJSON (fsync)',
      port: Number(local.match[1]),
      parts: { collector: () => [local.pid] },
    },
    {
      name: 'spoor serve --stream (R3 PubAck) + spoor sink',
      port: Number(new URL(streamed.url).port),
      parts: { collector: () => [streamed.pid], sink: () => [sink.pid], 'three nats-servers': () => cluster.pids() },
    },
  ] as { name: string; port: number; parts: Record<string, () => number[]> }[]
  const cpuByPart = (parts: Record<string, () => number[]>) =>
    Object.fromEntries(Object.entries(parts).map(([name, pids]) => [name, cpuOf(pids())]))
  const results = paths.map(() => ({
    eventsPerSecond: [] as number[],
    p50: [] as number[],
    p99: [] as number[],
    errors: 0,
    acknowledged: 0,
    measured: 0,
    cpu: {} as Record<string, number>,
  }))
  for (let round = -1; round < rounds; round++) {
    for (const [i, path] of paths.entries()) {
      const before = cpuByPart(path.parts)
      const result = await closedLoop(path.port, 'batch', concurrency, seconds)
      const entry = results[i]!
      entry.acknowledged += result.acknowledged
      entry.errors += result.errors
      if (round < 0) continue
      // The sink writes what the stream holds a little after the 2xx: its CPU is counted at the next round's start
      // too, which is why the cost is taken over all rounds, not per round.
      const after = cpuByPart(path.parts)
      for (const part of Object.keys(after)) entry.cpu[part] = (entry.cpu[part] ?? 0) + after[part]! - before[part]!
      entry.measured += result.acknowledged
      const sorted = result.latencies.sort((a, b) => a - b)
      entry.eventsPerSecond.push(result.acknowledged / result.seconds)
      entry.p50.push(percentile(sorted, 50))
      entry.p99.push(percentile(sorted, 99))
    }
  }

  // The sink has written everything once the consumer has nothing pending or unacknowledged.
  const nc = await connect({ servers: cluster.urls })
  const jsm = await jetstreamManager(nc)
  const drainStarted = performance.now()
  for (;;) {
    const info = await jsm.consumers.info('SPOOR', 'spoor-sink')
    if (info.num_pending === 0 && info.num_ack_pending === 0) break
    if (performance.now() - drainStarted > 120_000)
      throw new Error(`the sink did not catch up: ${info.num_pending} pending`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  const stream = await jsm.streams.info('SPOOR')
  await nc.close()

  console.log(
    '| path | events/s (median) | req/s | p50 ms | p99 ms | errors | × local | CPU ms per 1,000 events (all its processes) |',
  )
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|')
  const localRate = median(results[0]!.eventsPerSecond)
  const msPerThousand = (cpu: number, events: number) => ((cpu / events) * 1e6).toFixed(1)
  for (const [i, path] of paths.entries()) {
    const entry = results[i]!
    const events = median(entry.eventsPerSecond)
    const total = Object.values(entry.cpu).reduce((a, b) => a + b, 0)
    console.log(
      `| ${path.name} | ${events.toFixed(0)} | ${(events / batchEvents).toFixed(0)} | ${median(entry.p50).toFixed(2)} | ${median(entry.p99).toFixed(2)} | ${entry.errors} | ${(events / localRate).toFixed(2)} | ${msPerThousand(total, entry.measured)} |`,
    )
  }
  for (const [i, path] of paths.entries()) {
    const { cpu, measured } = results[i]!
    console.log(
      `\n${path.name}, CPU ms per 1,000 events: ${Object.entries(cpu)
        .map(([part, used]) => `${part} ${msPerThousand(used, measured)}`)
        .join(', ')}`,
    )
  }
  const perEvent = stream.state.bytes / stream.state.messages
  console.log(
    `\nstream: ${stream.state.messages.toLocaleString('en-US')} messages, ${perEvent.toFixed(0)} bytes per event on each of ${stream.config.num_replicas} replicas (${(perEvent * stream.config.num_replicas).toFixed(0)} in all)`,
  )

  await Promise.all([local.stop(), streamed.stop(), sink.stop()])
  for (const [i, path] of paths.entries()) {
    const problem = await checkWritten(path.name, i === 0 ? localDir : sinkDir, results[i]!.acknowledged)
    if (problem) failures.push(problem)
  }
  console.log(`\nload average after: ${loads()}`)
  if (failures.length > 0) {
    console.error(`\nFAILED: a path did not write what it acknowledged:\n- ${failures.join('\n- ')}`)
    process.exitCode = 1
  } else {
    console.log(
      `written: each path wrote exactly the events it acknowledged (${results.map((r) => r.acknowledged.toLocaleString('en-US')).join(' and ')}, read back from the published files)`,
    )
  }
} finally {
  await cluster.stop()
  await rm(dir, { recursive: true, force: true })
}
