import { execFileSync } from 'node:child_process'
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createNdjsonSink, type Disk } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { faultyDisk } from '../../../test/support/faulty-disk.js'
import { ndjsonFiles, readLines, tempDir, testApp, writeKey } from '../../../test/support/helpers.js'
import { fillDisk, freeDisk, onSmallDisk } from '../../../test/support/small-disk.js'

type App = Awaited<ReturnType<typeof testApp>>['app']

const post = (app: App, ids: string[]) =>
  app.request('/v1/batch', {
    method: 'POST',
    body: JSON.stringify({
      writeKey,
      batch: ids.map((messageId) => ({
        type: 'track',
        event: 'Filled',
        anonymousId: 'a',
        messageId,
        properties: { pad: 'x'.repeat(200) },
      })),
    }),
  })

async function collectorOn(options: { disk?: Disk; dataDir?: string; minFreeBytes?: number }) {
  const dataDir = options.dataDir ?? (await tempDir())
  const sink = createNdjsonSink({
    dataDir,
    minFreeBytes: options.minFreeBytes ?? 0,
    checkEveryMs: 50,
    ...(options.disk ? { disk: options.disk } : {}),
  })
  await sink.ready
  const { app } = await testApp({ sink })
  return { app, sink, dataDir }
}

/** Every published line parses, every file ends with a newline, and no file is left open. */
async function expectWholeFiles(dataDir: string) {
  for (const file of await ndjsonFiles(dataDir)) {
    const text = await readFile(file, 'utf8')
    expect(text.endsWith('\n'), file).toBe(true)
    for (const line of text.slice(0, -1).split('\n')) expect(() => JSON.parse(line)).not.toThrow()
  }
  const entries = await readdir(dataDir, { recursive: true })
  expect(entries.filter((name) => name.endsWith('.open'))).toEqual([])
}

/** Posts one-event batches until the collector refuses one; returns the ids it acknowledged and the refusal. */
async function fill(app: App, prefix: string) {
  const acked: string[] = []
  for (let i = 0; i < 1000; i++) {
    const response = await post(app, [`${prefix}-${i}`])
    if (response.status !== 200) return { acked, refused: response }
    acked.push(`${prefix}-${i}`)
  }
  throw new Error('the disk never filled')
}

describe('a full or failing disk', () => {
  it('answers 503 with Retry-After, reports not ready, keeps every acknowledged event whole, and recovers by itself', async () => {
    const { disk, state } = faultyDisk(4000)
    const { app, sink, dataDir } = await collectorOn({ disk })
    const { acked, refused } = await fill(app, 'before')
    expect(acked.length).toBeGreaterThan(3)
    expect(refused.status).toBe(503)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await refused.json()).error).toMatch(/nothing was kept, retry later/)

    const ready = await app.request('/readyz')
    expect(ready.status).toBe(503)
    expect(ready.headers.get('retry-after')).toBeTruthy()
    expect((await ready.json()).reason).toMatch(/ENOSPC/)

    // Refused up front now: the disk is not even tried, so nothing can be half-written.
    const writes = state.writes
    const early = await post(app, ['while-full'])
    expect(early.status).toBe(503)
    expect((await early.json()).error).toMatch(/cannot be stored now: writes to .* fail \(ENOSPC\)/)
    expect(state.writes).toBe(writes)

    state.capacity += 1_000_000
    await expect.poll(async () => (await app.request('/readyz')).status, { timeout: 5000 }).toBe(200)
    const after = await post(app, ['after-1', 'after-2'])
    expect(after.status).toBe(200)

    await sink.close()
    await expectWholeFiles(dataDir)
    const written = (await readLines(dataDir)).map((line) => line.messageId)
    expect(written).toEqual(expect.arrayContaining([...acked, 'after-1', 'after-2']))
    expect(written).not.toContain('while-full')
    expect(new Set(written).size).toBe(written.length)
  })

  it('treats a failed fsync as not kept: 503, the file is cut back to what was synced, and later writes go to a fresh file', async () => {
    const { disk, state } = faultyDisk(10_000_000)
    const { app, sink, dataDir } = await collectorOn({ disk })
    expect((await post(app, ['synced'])).status).toBe(200)
    state.failSync = true
    const failed = await post(app, ['not-synced'])
    expect(failed.status).toBe(503)
    expect(failed.headers.get('retry-after')).toBeTruthy()
    state.failSync = false
    await expect.poll(async () => (await app.request('/readyz')).status, { timeout: 5000 }).toBe(200)
    expect((await post(app, ['retried'])).status).toBe(200)
    await sink.close()
    await expectWholeFiles(dataDir)
    expect((await readLines(dataDir)).map((line) => line.messageId).sort()).toEqual(['retried', 'synced'])
    expect(await ndjsonFiles(dataDir)).toHaveLength(2)
  })

  it('refuses events while free space is under the watermark, and takes them again once it is over', async () => {
    const { disk, state } = faultyDisk(50_000)
    const { app, sink } = await collectorOn({ disk, minFreeBytes: 100_000 })
    const refused = await post(app, ['low'])
    expect(refused.status).toBe(503)
    expect((await refused.json()).error).toMatch(/disk below watermark: 0\.0 MiB free in .*, 0\.1 MiB required/)
    expect((await (await app.request('/readyz')).json()).reason).toMatch(/below watermark/)
    state.capacity = 10_000_000
    await expect.poll(async () => (await app.request('/readyz')).status, { timeout: 5000 }).toBe(200)
    expect((await post(app, ['enough'])).status).toBe(200)
    await sink.close()
  })

  it('says once that free space is under the watermark, however the free space moves meanwhile', async () => {
    const { disk, state } = faultyDisk(50_000)
    const warnings: string[] = []
    const log = { info() {}, warn: (msg: string) => warnings.push(msg), error() {} }
    const sink = createNdjsonSink({ dataDir: await tempDir(), minFreeBytes: 10_000_000, checkEveryMs: 20, disk, log })
    await sink.ready
    // Other programs write and delete on the same disk: the free space differs at every check.
    for (let i = 0; i < 10; i++) {
      state.capacity = 1_000_000 + i * 200_000
      await new Promise((resolve) => setTimeout(resolve, 40))
    }
    expect(warnings).toEqual(['sink not ready'])
    await sink.close()
  })

  it('on a real small file system (tmpfs), fills it, refuses with 503 and recovers when space is freed', async (ctx) => {
    const mount = await tempDir('spoor-tmpfs-')
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mount], { stdio: 'ignore' })
    } catch {
      // Mounting needs root and a kernel that allows it; the injected-fault tests above cover the same paths.
      ctx.skip()
    }
    try {
      // Space taken by something else, freed later to let the collector recover.
      await writeFile(join(mount, 'ballast'), Buffer.alloc(96 * 1024))
      const { app, sink, dataDir } = await collectorOn({ dataDir: join(mount, 'data') })
      const acked: string[] = []
      let refused: Response | undefined
      for (let i = 0; i < 400 && !refused; i++) {
        const ids = Array.from({ length: 20 }, (_, j) => `t${i}-${j}`)
        const response = await post(app, ids)
        if (response.status === 200) acked.push(...ids)
        else refused = response
      }
      expect(refused?.status).toBe(503)
      expect(refused?.headers.get('retry-after')).toBeTruthy()
      expect((await app.request('/readyz')).status).toBe(503)
      await rm(join(mount, 'ballast'))
      await expect.poll(async () => (await app.request('/readyz')).status, { timeout: 5000 }).toBe(200)
      expect((await post(app, ['after'])).status).toBe(200)
      await sink.close()
      await expectWholeFiles(dataDir)
      const written = new Set((await readLines(dataDir)).map((line) => line.messageId))
      for (const id of [...acked, 'after']) expect(written.has(id), id).toBe(true)
    } finally {
      execFileSync('umount', [mount])
    }
  })
})

describe('a disk with no room when the collector starts', () => {
  it('starts all the same, refusing events with 503 while not ready, and takes them once there is room', async (ctx) => {
    await onSmallDisk(ctx, '256k', async (mount) => {
      const dataDir = join(mount, 'data')
      await fillDisk(mount)
      const sink = createNdjsonSink({ dataDir, minFreeBytes: 0, checkEveryMs: 50 })
      // Started, though not ready: not a failure to start (as a full disk was, which a supervisor restarted in a loop).
      await sink.started
      const { app } = await testApp({ sink })
      expect((await app.request('/healthz')).status).toBe(200)
      const notReady = await app.request('/readyz')
      expect([notReady.status, (await notReady.json()).reason]).toEqual([
        503,
        "the data folder's disk has no room to start (ENOSPC); retrying",
      ])
      const refused = await post(app, ['while-full'])
      expect(refused.status).toBe(503)
      expect(refused.headers.get('retry-after')).toBe('30')
      await freeDisk(mount)
      await expect.poll(async () => (await app.request('/readyz')).status, { timeout: 5000 }).toBe(200)
      await sink.ready
      expect((await post(app, ['with-room'])).status).toBe(200)
      await sink.close()
      await expectWholeFiles(dataDir)
      expect((await readLines(dataDir)).map((line) => line.messageId)).toEqual(['with-room'])
    })
  })

  it('closes while still waiting for room, claiming nothing a collector started later would have to wait for', async (ctx) => {
    await onSmallDisk(ctx, '256k', async (mount) => {
      const dataDir = join(mount, 'data')
      await fillDisk(mount)
      const sink = createNdjsonSink({ dataDir, minFreeBytes: 0, checkEveryMs: 50 })
      await sink.started
      expect(sink.health().ready).toBe(false)
      await sink.close()
      // The lock it could create but not write names no collector.
      expect(await readFile(join(dataDir, '.spoor.lock'), 'utf8').catch(() => '')).toBe('')
      await freeDisk(mount)
      const next = createNdjsonSink({ dataDir, minFreeBytes: 0, checkEveryMs: 50 })
      await next.ready
      expect(next.health().ready).toBe(true)
      await next.close()
    })
  })
})

describe('a data folder removed while the collector runs', () => {
  it('refuses the events it can no longer keep, with 503, and takes them again into a new file once the folder is back', async () => {
    const { app, sink, dataDir } = await collectorOn({})
    expect((await post(app, ['before'])).status).toBe(200)
    // The open file is gone with its folder, but its descriptor still takes writes that no one will ever read.
    await rm(dataDir, { recursive: true })
    const refused = await post(app, ['into-the-void'])
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBeTruthy()
    expect((await refused.json()).error).toMatch(/nothing was kept, retry later/)
    expect((await (await app.request('/readyz')).json()).reason).toMatch(/ENOENT/)

    await mkdir(dataDir)
    await expect.poll(async () => (await app.request('/readyz')).status, { timeout: 5000 }).toBe(200)
    expect((await post(app, ['into-the-void'])).status).toBe(200)
    await sink.close()
    await expectWholeFiles(dataDir)
    expect((await readLines(dataDir)).map((line) => line.messageId)).toEqual(['into-the-void'])
  })

  it('claims the folder made again before writing to it, and stays refused while another collector holds it', async () => {
    const { app, sink, dataDir } = await collectorOn({})
    expect((await post(app, ['before'])).status).toBe(200)
    await rm(dataDir, { recursive: true })
    expect((await post(app, ['refused'])).status).toBe(503)
    // Made again, and meanwhile claimed by another collector (pid 1 stands for one that is alive).
    await mkdir(dataDir)
    await writeFile(join(dataDir, '.spoor.lock'), '1')
    const busy = async () => (await (await app.request('/readyz')).json()).reason ?? ''
    await expect.poll(busy, { timeout: 5000 }).toMatch(/DataDirBusyError/)
    expect((await post(app, ['while-taken'])).status).toBe(503)

    await rm(join(dataDir, '.spoor.lock'))
    await expect.poll(async () => (await app.request('/readyz')).status, { timeout: 5000 }).toBe(200)
    expect((await readFile(join(dataDir, '.spoor.lock'), 'utf8')).split('\n')[0]).toBe(String(process.pid))
    expect((await post(app, ['after'])).status).toBe(200)
    await sink.close()
    await expect(readFile(join(dataDir, '.spoor.lock'))).rejects.toThrow(/ENOENT/)
    expect((await readLines(dataDir)).map((line) => line.messageId)).toEqual(['after'])
  })
})

describe('a batch half kept', () => {
  it('answers 503 when refused events could not be kept, and skips the kept ones when the sender retries', async () => {
    const dataDir = await tempDir()
    const inner = createNdjsonSink({ dataDir, minFreeBytes: 0 })
    let rejectFails = true
    const sink = {
      ...inner,
      write: inner.write,
      close: inner.close,
      reject: (lines: never[], at: Date) => (rejectFails ? Promise.reject(new Error('EIO')) : inner.reject(lines, at)),
    }
    const { app } = await testApp({ sink })
    const body = JSON.stringify({
      writeKey,
      batch: [
        { type: 'page', anonymousId: 'a', messageId: 'kept' },
        { type: 'track', anonymousId: 'a' },
      ],
    })
    expect((await app.request('/v1/batch', { method: 'POST', body })).status).toBe(503)
    rejectFails = false
    const retry = await app.request('/v1/batch', { method: 'POST', body })
    expect(await retry.json()).toMatchObject({ accepted: 0, duplicates: 1, rejected: [{ index: 1 }] })
    await inner.close()
    expect((await readLines(dataDir)).map((e) => e.messageId)).toEqual(['kept'])
    expect(await readLines(dataDir, 'rejected')).toHaveLength(1)
  })
})
