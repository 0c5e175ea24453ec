// What the abandoned-cart detector costs the collector: the same batches written through the NDJSON sink alone
// and through the sink wrapped by the detector, side by side in this process, alternating rounds. The figure is
// the ratio of their throughputs (1.00 = free). Every event's messageId is new to its sink, and after each round
// the published files must hold exactly the events whose write was acknowledged, or the benchmark fails.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { withCartDetector } from '@spoor/carts'
import { createNdjsonSink } from '@spoor/log'
import type { EventLine, EventSink } from '@spoor/protocol'
import { checkWritten } from './written-lines.js'

const visitors = 5_000
const batches = 2_000
const perBatch = 50

function line(i: number): EventLine {
  const visitor = i % visitors
  const time = new Date(Date.now() + i).toISOString()
  const kind = i % 10
  const products = [{ product_id: `p-${i % 37}`, price: 12.5, quantity: 1 + (i % 3) }]
  return {
    messageId: `m-${i}`,
    type: kind < 6 ? 'page' : 'track',
    event: kind < 6 ? null : kind < 9 ? 'Product Added' : 'Order Completed',
    name: null,
    category: null,
    userId: null,
    anonymousId: `a-${visitor}`,
    groupId: null,
    previousId: null,
    properties:
      kind < 6
        ? { path: `/p/${i % 50}` }
        : { cart_id: `c-${visitor}`, products, value: 12.5, currency: 'EUR', order_id: `o-${i}` },
    traits: {},
    context: { page: { path: '/x' }, campaign: { name: 'spring' } },
    originalTimestamp: time,
    sentAt: time,
    receivedAt: time,
    timestamp: time,
    writeKey: 'bench',
  }
}

const work = Array.from({ length: batches }, (_, b) =>
  Array.from({ length: perBatch }, (_, j) => line(b * perBatch + j)),
)

const failures: string[] = []

async function round(wrap: boolean): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'spoor-bench-'))
  const files = createNdjsonSink({ dataDir, durability: 'write' })
  const sink: EventSink = wrap ? withCartDetector(files, { dataDir, windowMs: 60 * 60_000 }) : files
  if (wrap) await (sink as ReturnType<typeof withCartDetector>).ready
  const start = process.hrtime.bigint()
  for (const batch of work) await sink.write(batch, new Date())
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  await sink.close()
  const problem = await checkWritten(wrap ? 'sink with the cart detector' : 'NDJSON sink', dataDir, batches * perBatch)
  if (problem) failures.push(problem)
  await rm(dataDir, { recursive: true, force: true })
  return (batches * perBatch) / seconds
}

const plain: number[] = []
const detecting: number[] = []
await round(false)
await round(true)
for (let i = 0; i < 5; i++) {
  plain.push(await round(false))
  detecting.push(await round(true))
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
console.log(`| sink | events/s (median of 5) |\n|---|---|`)
console.log(`| NDJSON sink (durability write) | ${Math.round(median(plain)).toLocaleString('en-US')} |`)
console.log(`| same, with the cart detector | ${Math.round(median(detecting)).toLocaleString('en-US')} |`)
console.log(
  `\nratio detector / baseline: ${(median(detecting) / median(plain)).toFixed(2)} (${visitors.toLocaleString('en-US')} visitors, ${(batches * perBatch).toLocaleString('en-US')} events in batches of ${perBatch})`,
)
if (failures.length > 0) {
  console.error(`\nFAILED: a sink did not write what it acknowledged:\n- ${failures.join('\n- ')}`)
  process.exitCode = 1
} else
  console.log(
    `written: every round's files hold exactly the ${(batches * perBatch).toLocaleString('en-US')} events it wrote`,
  )
