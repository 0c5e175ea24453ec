import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createNdjsonSink } from '@spoor/log'
import { afterEach, describe, expect, it } from 'vitest'
import { batchEvents, nextBatchBody, nextPixelPath } from '../../../bench/unique-requests.js'
import { checkWritten, writtenLines } from '../../../bench/written-lines.js'
import { tempDir } from '../../../test/support/helpers.js'
import { createApp, parseConfig } from '../src/index.js'

// The benchmarks' figures are only worth something if the collector writes every event they send: these check the
// two parts that make sure of it, against the real collector.
describe('benchmark requests and the disk check', () => {
  const dirs: string[] = []
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
  })

  async function collector() {
    const dataDir = await tempDir('spoor-bench-check-')
    dirs.push(dataDir)
    const sink = createNdjsonSink({ dataDir, minFreeBytes: 0 })
    const config = parseConfig({ sites: [{ writeKey: 'bench-key', origins: ['*'] }] })
    const app = createApp({ config, sink, snippetPath: join(dataDir, 'no-snippet.js') })
    const post = async (body: string) =>
      (await app.request('/v1/batch', { method: 'POST', body })).json() as Promise<{
        accepted: number
        duplicates: number
      }>
    return { dataDir, sink, post }
  }

  it('makes batches the collector accepts whole, with ids it has never seen', async () => {
    const { dataDir, sink, post } = await collector()
    const answers = [await post(nextBatchBody()), await post(nextBatchBody()), await post(nextBatchBody())]
    await sink.close()
    expect(answers).toEqual(Array(3).fill({ success: true, accepted: batchEvents, duplicates: 0, rejected: [] }))
    expect(await checkWritten('collector', dataDir, 3 * batchEvents)).toBeUndefined()
    expect(nextPixelPath()).not.toBe(nextPixelPath())
  })

  it('complains when the collector acknowledged events it did not write, as a resent batch is', async () => {
    const { dataDir, sink, post } = await collector()
    const body = nextBatchBody()
    await post(body)
    const repeat = await post(body)
    await sink.close()
    expect(repeat.duplicates).toBe(batchEvents)
    expect(await checkWritten('collector', dataDir, 2 * batchEvents)).toMatch(
      /^collector: acknowledged 40 events with a 2xx but wrote 20 lines/,
    )
  })

  it('counts published and refused lines apart, and names files left open', async () => {
    const dataDir = await tempDir('spoor-bench-check-')
    dirs.push(dataDir)
    await mkdir(join(dataDir, 'events/dt=2026-01-01/hour=00'), { recursive: true })
    await mkdir(join(dataDir, 'rejected/dt=2026-01-01/hour=00'), { recursive: true })
    await writeFile(join(dataDir, 'events/dt=2026-01-01/hour=00/a.ndjson'), '{}\n{}\n')
    await writeFile(join(dataDir, 'events/dt=2026-01-01/hour=00/b.ndjson.open'), '{}\n')
    await writeFile(join(dataDir, 'rejected/dt=2026-01-01/hour=00/c.ndjson'), '{}\n')
    const found = await writtenLines(dataDir)
    expect(found).toEqual({
      events: 2,
      rejected: 1,
      open: [join(dataDir, 'events/dt=2026-01-01/hour=00/b.ndjson.open')],
    })
    const problem = await checkWritten('server', dataDir, 2)
    expect(problem).toContain('refused 1 events')
    expect(problem).toContain('left 1 file(s) open')
  })
})
