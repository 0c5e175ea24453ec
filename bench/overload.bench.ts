// Memory under overload: the collector (a child process, --max-in-flight 6MB as by default, or OVERLOAD_CAP) is sent far more than it may hold —
// 1,000 batches of ~400 KB from 200 connections at once, to 127.0.0.1 — and stops by itself. Twice: with the cart
// detector empty, and with it filled first to its room (the default --max-carts of one site, each cart with
// contents at the room's average, so both its limits are reached), as a busy shop's collector, or one that a sender
// filled with made-up carts, would be. Prints the peak bytes in flight (from /metrics), the process's peak resident
// memory (VmHWM) against an unloaded baseline, and how many requests got 503 with Retry-After. The cap bounds
// request bytes; the rest of the process is Node's own. Every event carries ids never sent before, and once the
// collector has stopped its published files must hold exactly the events it acknowledged with a 2xx, or the
// benchmark fails.
import { readFile } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { contentBytesPerCart, defaultCollectorCarts } from '@spoor/carts'
import { buildCollector, startServerProcess } from './server-process.js'
import { checkWritten } from './written-lines.js'

const cap = process.env.OVERLOAD_CAP ?? '6MB'
// The default --max-carts, all of it one site's.
const room = defaultCollectorCarts

/** Answers a POST of `text` with the status line the table counts, and how many events the answer acknowledged. */
const post = (agent: Agent, url: string, text: string) =>
  new Promise<{ status: string; acknowledged: number }>((resolve) => {
    const req = request(
      url + '/v1/batch',
      { agent, method: 'POST', headers: { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) } },
      (res) => {
        let answer = ''
        res.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk))
        res.on('end', () => {
          const code = res.statusCode ?? 0
          const acknowledged =
            code >= 200 && code < 300
              ? Number(/"accepted":(\d+)/.exec(answer)![1]) + Number(/"duplicates":(\d+)/.exec(answer)?.[1] ?? 0)
              : 0
          const retry = res.headers['retry-after'] ? ' with Retry-After' : ' WITHOUT Retry-After'
          resolve({ status: `${code}${code === 503 ? retry : ''}`, acknowledged })
        })
      },
    )
    req.on('error', (error) => resolve({ status: `error ${error.message}`, acknowledged: 0 }))
    req.end(text)
  })

/** A cart of its own visitor, whose products' JSON is about the room's average contents. */
const cartEvent = (n: number) => {
  const products = Array.from({ length: 4 }, (_, i) => ({
    product_id: `sku-${n}-${i}`,
    name: 'Linen shirt, size M',
    price: 49.5,
    quantity: 1,
    url: `https://shop.example/p/sku-${n}-${i}`,
  }))
  return {
    type: 'track',
    event: 'Product Added',
    messageId: `cart-${n}`,
    anonymousId: `visitor-${n}`,
    properties: { cart_id: `c-${n}`, products, value: 198, currency: 'EUR' },
  }
}

const pad = 'x'.repeat(30_000)
const overloadBody = (n: number) =>
  JSON.stringify({
    writeKey: 'bench-key',
    batch: Array.from({ length: 13 }, (_, i) => ({
      type: 'track',
      event: 'Load',
      anonymousId: `a${n}`,
      messageId: `o${n}-${i}`,
      properties: { pad },
    })),
  })

// The built `spoor` command, as a user runs it.
buildCollector()

async function overload(fillCarts: boolean) {
  const server = await startServerProcess(
    { name: 'overload', serve: ['--max-in-flight', cap, '--rate-limit-ip', '0', '--min-free', '0'] },
    false,
  )
  const url = `http://127.0.0.1:${server.port}`
  const status = async (field: string) =>
    Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(await readFile(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024
  const metric = (text: string, name: string) => Number(new RegExp(`^spoor_${name} (\\d+)$`, 'm').exec(text)![1])

  // Warm up with a few ordinary requests (and fill the detector, when asked), then take the baseline.
  let acknowledged = 0
  const calm = new Agent({ keepAlive: true, maxSockets: 8 })
  for (let i = 0; i < 50; i++) {
    const small = { writeKey: 'bench-key', batch: [{ type: 'page', anonymousId: `w${i}`, messageId: `w${i}` }] }
    const answer = await post(calm, url, JSON.stringify(small))
    acknowledged += answer.acknowledged
  }
  let filled = ''
  if (fillCarts) {
    let next = 0
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < room) {
          const first = next
          next += 20
          const batch = Array.from({ length: 20 }, (_, i) => cartEvent(first + i))
          const answer = await post(calm, url, JSON.stringify({ writeKey: 'bench-key', batch }))
          acknowledged += answer.acknowledged
        }
      }),
    )
    const held = await (await fetch(url + '/metrics')).text()
    filled = `${metric(held, 'carts_held').toLocaleString('en-US')} carts and ${(
      metric(held, 'cart_bytes_held') / 2 ** 20
    ).toFixed(1)} MiB of contents held (room ${room.toLocaleString('en-US')} carts, ${(
      (room * contentBytesPerCart) / 2 ** 20
    ).toFixed(1)} MiB)`
  }
  calm.destroy()
  const baseline = await status('VmRSS')

  const agent = new Agent({ keepAlive: true, maxSockets: 200 })
  const statuses = new Map<string, number>()
  let sent = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: 200 }, async () => {
      while (sent < 1000) {
        const answer = await post(agent, url, overloadBody(sent++))
        acknowledged += answer.acknowledged
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  const metrics = await (await fetch(url + '/metrics')).text()
  const peakInFlight = metric(metrics, 'in_flight_bytes_peak') / 1024 / 1024
  const peakRss = await status('VmHWM')
  agent.destroy()
  await server.stop()
  const notWritten = await checkWritten('spoor serve', join(server.dir, 'data'), acknowledged)
  await server.remove()

  if (notWritten) {
    console.error(`\nFAILED: the collector did not write what it acknowledged: ${notWritten}`)
    process.exitCode = 1
  }
  const answers = [...statuses].sort().map(([answer, n]) => `${n} ${answer}`)
  console.log(
    `| ${fillCarts ? 'full' : 'empty'} | ${baseline.toFixed(0)} | ${peakRss.toFixed(0)} | ${peakInFlight.toFixed(1)} | ${answers.join(', ')} | ${seconds.toFixed(1)} | ${notWritten ? 'NO' : acknowledged.toLocaleString('en-US')} |`,
  )
  return { peak: peakRss, filled }
}

// Peaks move by a tenth from run to run (when the garbage collector runs is not ours to choose): several rounds,
// alternating, and the spread of each.
// Not strict: `npm run bench` hands every benchmark the options of all of them.
const { values } = parseArgs({ options: { rounds: { type: 'string' } }, strict: false })
const rounds = Number(values.rounds ?? 3)
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds ${values.rounds}: give a whole number ≥ 1`)
console.log(
  `1000 batches of ${(Buffer.byteLength(overloadBody(0)) / 1024).toFixed(0)} KB from 200 connections per run, cap ${cap} in flight; ${rounds} rounds\n`,
)
console.log(
  '| cart detector | resident before, MiB | peak resident (VmHWM), MiB | peak in flight, MiB | answers | seconds | acknowledged = written |',
)
console.log('|---|---:|---:|---:|---|---:|---:|')
const peaks = { empty: [] as number[], full: [] as number[] }
let filledNote = ''
for (let round = 0; round < rounds; round++) {
  peaks.empty.push((await overload(false)).peak)
  const full = await overload(true)
  peaks.full.push(full.peak)
  filledNote = full.filled
}
const goal = 200e6 / 2 ** 20
console.log(`\n"full": ${filledNote}.`)
for (const [name, values] of Object.entries(peaks)) {
  const sorted = [...values].sort((a, b) => a - b)
  const over = values.filter((peak) => peak > goal).length
  console.log(
    `detector ${name}: peak ${sorted[0]!.toFixed(0)} to ${sorted.at(-1)!.toFixed(0)} MiB, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)}; over 200 MB (${goal.toFixed(1)} MiB) in ${over} of ${values.length} runs`,
  )
}
