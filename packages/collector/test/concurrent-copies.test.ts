import { withCartDetector } from '@spoor/carts'
import { createNdjsonSink, type Disk, nodeDisk } from '@spoor/log'
import type { EventSink } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { faultyDisk } from '../../../test/support/faulty-disk.js'
import { heldDisk } from '../../../test/support/held-disk.js'
import { readLines, tempDir, testApp, writeKey } from '../../../test/support/helpers.js'
import { startServer } from '../src/index.js'

interface Answer {
  status: number
  body: { accepted?: number; duplicates?: number; error?: string }
}

const ids = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `${prefix}-${from + i}`)
const batch = (messageIds: string[], properties: Record<string, unknown> = {}) =>
  JSON.stringify({
    writeKey,
    batch: messageIds.map((messageId) => ({ type: 'track', event: 'Copied', anonymousId: 'a', messageId, properties })),
  })

/** A real collector on a free port, over a real NDJSON sink that syncs every write (the default). */
async function collector(options: { disk?: Disk; wrap?: (sink: EventSink, dataDir: string) => EventSink } = {}) {
  const dataDir = await tempDir()
  const files = createNdjsonSink({ dataDir, minFreeBytes: 0, checkEveryMs: 50, disk: options.disk ?? nodeDisk })
  await files.ready
  const sink = options.wrap ? options.wrap(files, dataDir) : files
  const { app } = await testApp({ sink })
  const server = await startServer({ app, sink, port: 0, hostname: '127.0.0.1' })
  const post = async (body: string, path = '/v1/batch'): Promise<Answer> => {
    const response = await fetch(server.url + path, { method: 'POST', body, headers: { 'content-type': 'text/plain' } })
    return { status: response.status, body: (await response.json()) as Answer['body'] }
  }
  // Request bytes held now: a request's share is claimed as soon as its headers declare its length.
  const inFlight = async () =>
    Number(/^spoor_in_flight_bytes (\d+)$/m.exec(await (await fetch(server.url + '/metrics')).text())![1])
  return { url: server.url, dataDir, sink, post, inFlight, close: () => server.close() }
}

/** How many times each id is in the published files, for the ids written more than once. */
async function repeatedIds(dataDir: string) {
  const lines = await readLines(dataDir)
  const counts = new Map<string, number>()
  for (const line of lines) counts.set(line.messageId, (counts.get(line.messageId) ?? 0) + 1)
  return { lines: lines.length, repeated: [...counts].filter(([, n]) => n > 1).length }
}

describe('two copies of a batch at once', () => {
  it('are written once: both answered 2xx, one as accepted and one as duplicates, 20 rounds in a row', async () => {
    const { post, dataDir, close } = await collector()
    const rounds: Answer[][] = []
    for (let round = 0; round < 20; round++) {
      const body = batch(ids(`round${round}`, 0, 30))
      rounds.push(await Promise.all([post(body), post(body)]))
    }
    await close()
    expect(await repeatedIds(dataDir)).toEqual({ lines: 600, repeated: 0 })
    for (const answers of rounds) {
      expect(answers.map((a) => a.status)).toEqual([200, 200])
      for (const { body } of answers) expect(body.accepted! + body.duplicates!).toBe(30)
      expect(answers[0]!.body.accepted! + answers[1]!.body.accepted!).toBe(30)
    }
  })

  it('share only their common ids: the copy writes its own events and answers the shared ones as duplicates', async () => {
    const held = heldDisk(nodeDisk)
    const { post, inFlight, dataDir, close } = await collector({ disk: held.disk })
    const first = batch(ids('p', 0, 30))
    const second = batch(ids('p', 20, 50))
    held.hold()
    const firstAnswer = post(first)
    await expect.poll(() => held.state.waiting).toBeGreaterThan(0)
    const secondAnswer = post(second)
    await expect.poll(inFlight).toBe(first.length + second.length)
    held.release()
    expect(await firstAnswer).toMatchObject({ status: 200, body: { accepted: 30, duplicates: 0 } })
    expect(await secondAnswer).toMatchObject({ status: 200, body: { accepted: 20, duplicates: 10 } })
    await close()
    expect(await repeatedIds(dataDir)).toEqual({ lines: 50, repeated: 0 })
  })

  it('fail together when the first write fails, and the ids are free again: the retry is written, once', async () => {
    const faulty = faultyDisk(1_000_000_000)
    const held = heldDisk(faulty.disk)
    const { url, post, inFlight, dataDir, close } = await collector({ disk: held.disk })
    const body = batch(ids('f', 0, 30))
    held.hold()
    const firstAnswer = post(body)
    await expect.poll(() => held.state.waiting).toBeGreaterThan(0)
    const copyAnswer = post(body)
    await expect.poll(inFlight).toBe(2 * body.length)
    faulty.state.failSync = true
    held.release()
    const [first, copy] = await Promise.all([firstAnswer, copyAnswer])
    expect(first.status).toBe(503)
    // Told to retry like the first sender: nothing of the batch is on disk.
    expect(copy).toMatchObject({ status: 503, body: { error: expect.stringMatching(/retry later/) } })

    faulty.state.failSync = false
    await expect.poll(async () => (await fetch(url + '/readyz')).status, { timeout: 5000 }).toBe(200)
    expect(await post(body)).toMatchObject({ status: 200, body: { accepted: 30, duplicates: 0 } })
    expect(await post(body)).toMatchObject({ status: 200, body: { accepted: 0, duplicates: 30 } })
    await close()
    expect(await repeatedIds(dataDir)).toEqual({ lines: 30, repeated: 0 })
  })

  it('show the cart detector each event once', async () => {
    const held = heldDisk(nodeDisk)
    const observed = new Map<string, number>()
    const { post, inFlight, close } = await collector({
      disk: held.disk,
      wrap: (files, dataDir) => {
        const watched = withCartDetector(files, { dataDir })
        const observe = watched.detector.observe
        watched.detector.observe = (line) => {
          observed.set(line.messageId, (observed.get(line.messageId) ?? 0) + 1)
          observe(line)
        }
        return watched
      },
    })
    const cart = { cart_id: 'c1', products: [{ product_id: 'p1', price: 10, quantity: 1 }], value: 10, currency: 'EUR' }
    const body = batch(ids('cart', 0, 5), cart)
    held.hold()
    const firstAnswer = post(body)
    await expect.poll(() => held.state.waiting).toBeGreaterThan(0)
    const copyAnswer = post(body)
    await expect.poll(inFlight).toBe(2 * body.length)
    held.release()
    expect((await Promise.all([firstAnswer, copyAnswer])).map((a) => a.status)).toEqual([200, 200])
    await close()
    expect(Object.fromEntries(observed)).toEqual(Object.fromEntries(ids('cart', 0, 5).map((id) => [id, 1])))
  })

  it('of a pixel are two events: the collector names each, so neither is taken for the other', async () => {
    const { url, dataDir, close } = await collector()
    const pixel = `${url}/p.gif?k=${writeKey}&e=Seen&aid=visitor`
    await Promise.all([fetch(pixel).then((r) => r.arrayBuffer()), fetch(pixel).then((r) => r.arrayBuffer())])
    await close()
    const lines = await readLines(dataDir)
    expect(lines.map((line) => line.event)).toEqual(['Seen', 'Seen'])
    expect(new Set(lines.map((line) => line.messageId)).size).toBe(2)
  })
})
