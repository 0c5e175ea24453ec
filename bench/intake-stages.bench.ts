// Where the collector's CPU goes per event, in one process and without HTTP or the disk: the intake's stages added
// one at a time over the benchmark's 20-event batches of new ids (each batch a new visitor and cart), beside the
// bare server's parse, stamp and serialise of the same bodies. Then each bounded memory of the collector, per new
// entry, half full and full: forgetting the oldest entry once full should cost about what remembering one does.
// Figures are µs per event (or per entry), medians of five rounds that alternate between the variants.
import { parseConfig, readPrivacySettings } from '@spoor/collector'
import { createCartDetector } from '../packages/carts/src/cart-detector.js'
import { observedPart } from '../packages/carts/src/observed-part.js'
import { createBoundedMemory } from '../packages/collector/src/derive/bounded-memory.js'
import { createDeriveLine } from '../packages/collector/src/derive/derive-line.js'
import { prepareEvents } from '../packages/collector/src/steps/accept-events.js'
import { parseBatch } from '../packages/collector/src/steps/parse-batch.js'
import { createRateLimiter } from '../packages/collector/src/steps/rate-limit.js'
import { createRecentIds, type Reservation } from '../packages/collector/src/steps/recent-ids.js'
import { createVisitorHasher } from '../packages/collector/src/steps/visitor-hash.js'
import { toBytes } from '../packages/log/src/ndjson-sink.js'
import { batchEvents, nextBatchBody } from './unique-requests.js'

const rounds = 5
const batches = 3000
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const privacy = readPrivacySettings(parseConfig({ sites: [{ writeKey: 'bench-key', origins: ['*'] }] }))
const userAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

/** A stage and everything before it. */
interface Stage {
  name: string
  prepare?: boolean
  derive?: boolean
  dedupe?: boolean
  serialise?: boolean
  carts?: boolean
}
const stages: Stage[] = [
  { name: 'parse (depth check included)' },
  { name: '+ validate, make the line, enrich (IP, bot, device)', prepare: true },
  { name: '+ derive visits and campaigns', prepare: true, derive: true },
  { name: '+ messageId memory, full', prepare: true, derive: true, dedupe: true },
  { name: '+ serialise', prepare: true, derive: true, dedupe: true, serialise: true },
  { name: '+ cart detector', prepare: true, derive: true, dedupe: true, serialise: true, carts: true },
]

/** A request's 20 new ids, claimed and kept, as the intake does for a batch of new events. */
const writeIds = (recent: ReturnType<typeof createRecentIds>, request: string) => {
  const reservation: Reservation = { keys: [] }
  for (let n = 0; n < batchEvents; n++) recent.claim('bench-key', `${request}-${n}`, reservation)
  recent.settle(reservation, true)
}

const bare = (text: string) => {
  const body = JSON.parse(text) as { batch: Record<string, unknown>[] }
  const receivedAt = new Date().toISOString()
  return Buffer.from(body.batch.map((event) => JSON.stringify({ ...event, receivedAt }) + '\n').join(''))
}

function runStage(stage: Stage, bodies: string[]): number {
  const recent = createRecentIds()
  // Full, as a collector's is once it has written 500,000 ids.
  if (stage.dedupe) for (let i = 0; i < 26_000; i++) writeIds(recent, `warm-${i}`)
  const intake = {
    sink: undefined as never,
    recent,
    privacy,
    hasher: createVisitorHasher(),
    ...(stage.derive ? { derive: createDeriveLine() } : {}),
  }
  const detector = createCartDetector()
  const started = performance.now()
  for (const text of bodies) {
    const parsed = parseBatch(text, 'batch')
    if (!stage.prepare) continue
    const prepared = prepareEvents(intake, parsed.events, {
      receivedAt: new Date(),
      writeKey: 'bench-key',
      ip: '127.0.0.1',
      sentAt: parsed.sentAt,
      context: parsed.context,
      bodyBytes: text.length,
      userAgent,
      // Without the memory, ids are only compared within the batch.
      freshIds: !stage.dedupe,
    })
    if (prepared.fresh.length !== batchEvents)
      throw new Error(`a batch was not taken whole: ${JSON.stringify(prepared.result)}`)
    const parts = stage.carts ? prepared.fresh.map(observedPart) : undefined
    if (stage.serialise) toBytes(prepared.fresh)
    if (prepared.reservation) recent.settle(prepared.reservation, true)
    if (parts) for (const part of parts) detector.observe(part)
  }
  return ((performance.now() - started) * 1000) / (bodies.length * batchEvents)
}

const bareName = 'bare: parse, stamp, serialise'
const timeBare = (bodies: string[]) => {
  const started = performance.now()
  for (const text of bodies) bare(text)
  return ((performance.now() - started) * 1000) / (bodies.length * batchEvents)
}
const variants: { name: string; run: (bodies: string[]) => number }[] = [
  { name: bareName, run: timeBare },
  ...stages.map((stage) => ({ name: stage.name, run: (bodies: string[]) => runStage(stage, bodies) })),
]
const perEvent = new Map<string, number[]>()
for (let round = 0; round < rounds; round++) {
  for (const { name, run } of variants) {
    const micros = run(Array.from({ length: batches }, nextBatchBody))
    perEvent.set(name, [...(perEvent.get(name) ?? []), micros])
  }
}
const bareMicros = median(perEvent.get(bareName)!)
console.log(`${rounds} rounds of ${batches} batches of ${batchEvents} events each, medians\n`)
console.log('| stages | µs per event | × bare |')
console.log('|---|---:|---:|')
for (const [name, values] of perEvent)
  console.log(`| ${name} | ${median(values).toFixed(2)} | ${(median(values) / bareMicros).toFixed(2)} |`)

// The bounded memories: per new entry, while half full and once full (each new entry then forgets the oldest).
interface Memory {
  name: string
  /** Entries it holds once full. */
  capacity: number
  /** Entries one call of `make()`'s function adds. */
  perCall: number
  make(): (n: number) => void
}
const memories: Memory[] = [
  {
    name: 'messageIds (500,000; a request of 20)',
    capacity: 500_000,
    perCall: batchEvents,
    make() {
      const recent = createRecentIds()
      return (n) => writeIds(recent, `id-${n}`)
    },
  },
  {
    name: 'visits (16 MB of visitors)',
    // 16 MB over about 218 bytes an entry (its 100, its key's and the map's own).
    capacity: 77_000,
    perCall: 1,
    make() {
      const visitors = createBoundedMemory<{ n: number }>(16 * 2 ** 20)
      return (n) => visitors.set(`visitor-${n}-0123456789`, { n }, 100)
    },
  },
  {
    name: 'rate limits (100,000 clients)',
    capacity: 100_000,
    perCall: 1,
    make() {
      const limiter = createRateLimiter({ perSecond: 50, burst: 100 })
      return (n) => void limiter.take(`10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`)
    },
  },
]
console.log('\n| memory | µs per new entry, half full | full | full ÷ half |')
console.log('|---|---:|---:|---:|')
for (const memory of memories) {
  const half: number[] = []
  const full: number[] = []
  const { perCall } = memory
  const calls = memory.capacity / perCall
  for (let round = 0; round < rounds; round++) {
    const add = memory.make()
    let n = 0
    const time = (count: number) => {
      const started = performance.now()
      for (let i = 0; i < count; i++) add(n++)
      return ((performance.now() - started) * 1000) / (count * perCall)
    }
    time(calls / 4)
    half.push(time(calls / 8))
    time(calls)
    full.push(time(calls / 4))
  }
  console.log(
    `| ${memory.name} | ${median(half).toFixed(2)} | ${median(full).toFixed(2)} | ${(median(full) / median(half)).toFixed(2)} |`,
  )
}
