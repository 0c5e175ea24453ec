import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createMetrics, createNdjsonSink } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { faultyDisk } from '../../../test/support/faulty-disk.js'
import { ndjsonFiles, readLines, tempDir } from '../../../test/support/helpers.js'

const line = (n: number) => ({ messageId: `m${n}`, receivedAt: '' }) as any
const at = new Date('2026-11-23T15:04:05.000Z')

async function allFiles(dir: string) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  // The data folder's lock (.spoor.lock) is the collector's own, not data.
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
}

describe('NDJSON sink', () => {
  it('writes under events/dt=YYYY-MM-DD/hour=HH/, named *.ndjson only once published', async () => {
    const dataDir = await tempDir()
    // The file's name comes from the sink's clock, given here so that the expected name never depends on today.
    const sink = createNdjsonSink({ dataDir, now: () => at })
    await sink.write([line(1), line(2)], at)
    const open = await allFiles(dataDir)
    expect(open).toHaveLength(1)
    expect(open[0]).toMatch(/^events\/dt=2026-11-23\/hour=15\/20261123T150405000Z-\d{6}-[0-9a-f]{8}\.ndjson\.open$/)
    expect(await ndjsonFiles(dataDir)).toEqual([])
    await sink.close()
    const published = await allFiles(dataDir)
    expect(published).toEqual([open[0]!.replace(/\.open$/, '')])
    expect(await readLines(dataDir)).toEqual([line(1), line(2)])
  })

  it('shares one write among appends that arrive together (group commit)', async () => {
    const dataDir = await tempDir()
    const sink = createNdjsonSink({ dataDir })
    await Promise.all(Array.from({ length: 50 }, (_, i) => sink.write([line(i)], at)))
    await sink.close()
    expect((await readLines(dataDir)).map((l) => l.messageId).sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `m${i}`).sort(),
    )
    expect(await ndjsonFiles(dataDir)).toHaveLength(1)
  })

  it('makes one durable write for appends that arrive together (group commit)', async () => {
    const { disk, state } = faultyDisk(1e9)
    const metrics = createMetrics()
    const sink = createNdjsonSink({ dataDir: await tempDir(), disk, metrics, minFreeBytes: 0 })
    await sink.ready
    await Promise.all(Array.from({ length: 200 }, (_, i) => sink.write([line(i)], at)))
    expect(state.writes).toBe(1)
    expect(/^spoor_fsync_seconds_count (\d+)$/m.exec(metrics.render())?.[1]).toBe('1')
    await sink.close()
  })

  it('makes appends that arrive while a write runs share the next one', async () => {
    const { disk, state } = faultyDisk(1e9)
    const sink = createNdjsonSink({ dataDir: await tempDir(), disk, minFreeBytes: 0 })
    await sink.ready
    const first = sink.write([line(0)], at)
    // Once the first write has started, 199 more arrive: they wait for it, and then go as one.
    await expect.poll(() => state.writes, { interval: 1 }).toBe(1)
    await Promise.all([first, ...Array.from({ length: 199 }, (_, i) => sink.write([line(i + 1)], at))])
    expect(state.writes).toBe(2)
    await sink.close()
  })

  it('acknowledges in file order and keeps acknowledged lines a prefix when a later write fails', async () => {
    const dataDir = await tempDir()
    const { disk, state } = faultyDisk(1e9)
    const sink = createNdjsonSink({ dataDir, disk, minFreeBytes: 0, checkEveryMs: 50 })
    await sink.ready
    await Promise.all(Array.from({ length: 10 }, (_, i) => sink.write([line(i)], at)))
    // Room for about one more line: of the rounds now sent one tick apart, the first fits, the next is cut short
    // by ENOSPC, and every round after it fails with it.
    state.capacity = state.used + 50
    const later: Promise<void>[] = []
    for (let i = 10; i < 40; i++) {
      const written = sink.write([line(i)], at)
      written.catch(() => {}) // judged below, once all are sent
      later.push(written)
      await new Promise((resolve) => setImmediate(resolve))
    }
    const results = await Promise.allSettled(later)
    await sink.close()
    const acked = [
      ...Array.from({ length: 10 }, (_, i) => `m${i}`),
      ...results.flatMap((r, i) => (r.status === 'fulfilled' ? [`m${i + 10}`] : [])),
    ]
    expect(results.filter((r) => r.status === 'rejected').length).toBeGreaterThan(20)
    expect((await readLines(dataDir)).map((l) => l.messageId)).toEqual(acked)
  })

  it('does not acknowledge a write that succeeded after an earlier one failed', async () => {
    const dataDir = await tempDir()
    const { disk, state } = faultyDisk(1e9)
    const sink = createNdjsonSink({ dataDir, disk, minFreeBytes: 0, checkEveryMs: 50 })
    await sink.ready
    await sink.write([line(0)], at)
    // Three rounds; the second fails, and the third must not be acknowledged even though the disk would take it.
    state.failWrite = state.writes + 2
    const rounds: Promise<void>[] = []
    for (const i of [1, 2, 3]) {
      const written = sink.write([line(i)], at)
      written.catch(() => {}) // judged below, once all are sent
      rounds.push(written)
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect((await Promise.allSettled(rounds)).map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected'])
    await sink.close()
    expect((await readLines(dataDir)).map((l) => l.messageId)).toEqual(['m0', 'm1'])
  })

  it('publishes a file when it is full, and starts the next', async () => {
    const dataDir = await tempDir()
    const sink = createNdjsonSink({ dataDir, maxFileBytes: 100 })
    // Each line is 35 bytes: the file passes 100 bytes at its third line, so the fourth starts a new file.
    for (let i = 0; i < 6; i++) await sink.write([line(i)], at)
    await expect.poll(() => ndjsonFiles(dataDir)).toHaveLength(1)
    await sink.close()
    expect(await ndjsonFiles(dataDir)).toHaveLength(2)
    expect((await readLines(dataDir)).map((l) => l.messageId)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5'])
  })

  it('publishes a file once it is old enough, without waiting for more events', async () => {
    const dataDir = await tempDir()
    const sink = createNdjsonSink({ dataDir, maxFileAgeMs: 50, now: () => at })
    await sink.write([line(1)], at)
    await expect.poll(() => ndjsonFiles(dataDir), { timeout: 3000 }).toHaveLength(1)
    await sink.close()
  })

  it('writes lines of different hours to their own partitions', async () => {
    const dataDir = await tempDir()
    const sink = createNdjsonSink({ dataDir })
    await sink.write([line(1)], new Date('2026-11-23T23:59:59Z'))
    await sink.write([line(2)], new Date('2026-11-24T00:00:01Z'))
    await sink.close()
    const files = (await ndjsonFiles(dataDir)).map((f) => f.slice(dataDir.length + 1))
    expect(files.map((f) => f.split('/').slice(0, 3).join('/')).sort()).toEqual([
      'events/dt=2026-11-23/hour=23',
      'events/dt=2026-11-24/hour=00',
    ])
  })

  it('puts refused events under rejected/', async () => {
    const dataDir = await tempDir()
    const sink = createNdjsonSink({ dataDir })
    await sink.reject([{ receivedAt: at.toISOString(), writeKey: 'k', index: 0, reason: 'bad', raw: '{}' }], at)
    await sink.close()
    const [file] = await ndjsonFiles(join(dataDir, 'rejected'))
    expect(JSON.parse(await readFile(file!, 'utf8'))).toMatchObject({ reason: 'bad' })
  })

  it('leaves no file behind when nothing was written', async () => {
    const dataDir = await tempDir()
    const sink = createNdjsonSink({ dataDir })
    await sink.write([], at)
    await sink.close()
    expect(await allFiles(dataDir)).toEqual([])
  })
})
