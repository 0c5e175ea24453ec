import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createNdjsonSink, erasePerson, recoverOpenFiles } from '@spoor/log'
import type { EventLine } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { faultyDisk } from '../../../test/support/faulty-disk.js'
import { readLines, tempDir } from '../../../test/support/helpers.js'

const line = (id: string, userId = 'u-1') =>
  ({ messageId: id, userId, anonymousId: 'a-' + id, type: 'track', event: 'Checked' }) as unknown as EventLine
const at = new Date('2026-11-23T15:04:05.000Z')
const partition = 'events/dt=2026-11-23/hour=15'

/** Every file under `dir` (the lock aside), by path. */
async function filesOf(dir: string) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && e.name !== '.spoor.lock')
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort()
}

// Each file operation of the log goes through its Disk, so each can fail here as a dying disk fails it.
describe('the log over a disk whose operations fail', () => {
  it('refuses a write whose new file cannot be made durable (directory fsync), and keeps the next once it can', async () => {
    const { disk, state } = faultyDisk(Infinity)
    const dataDir = await tempDir()
    const sink = createNdjsonSink({ dataDir, minFreeBytes: 0, checkEveryMs: 20, disk })
    await sink.ready
    state.fail.add('syncDirectory')
    await expect(sink.write([line('lost')], at)).rejects.toThrow(/EIO/)
    expect(state.failed).toBeGreaterThan(0)
    state.fail.clear()
    await expect.poll(() => sink.health().ready).toBe(true)
    await sink.write([line('kept')], at)
    await sink.close()
    expect((await readLines(dataDir)).map((l) => l.messageId)).toEqual(['kept'])
  })

  it('keeps acknowledged lines when the publishing rename fails: the file stays open, and recovery publishes it', async () => {
    const { disk, state } = faultyDisk(Infinity)
    const dataDir = await tempDir()
    const sink = createNdjsonSink({ dataDir, minFreeBytes: 0, disk })
    await sink.ready
    await sink.write([line('m1'), line('m2')], at)
    state.fail.add('rename')
    await sink.close().catch(() => {})
    expect(state.failed).toBeGreaterThan(0)
    expect(await readLines(dataDir)).toEqual([])
    expect((await filesOf(dataDir)).filter((f) => f.endsWith('.ndjson.open'))).toHaveLength(1)

    state.fail.clear()
    const report = await recoverOpenFiles(join(dataDir, 'events'), 'fsync', undefined, disk)
    expect(report.published).toBe(1)
    expect((await readLines(dataDir)).map((l) => l.messageId)).toEqual(['m1', 'm2'])
  })

  it('leaves a file it could not recover as it was: an unlink that fails is an error, not a lost file', async () => {
    const { disk, state } = faultyDisk(Infinity)
    const dataDir = await tempDir()
    await mkdir(join(dataDir, partition), { recursive: true })
    await writeFile(join(dataDir, partition, 'torn.ndjson.open'), '{"messageId":"m')
    state.fail.add('unlink')
    await expect(recoverOpenFiles(join(dataDir, 'events'), 'fsync', undefined, disk)).rejects.toThrow(/EIO/)
    expect(await filesOf(dataDir)).toEqual([`${partition}/torn.ndjson.open`])
  })

  it('leaves a published file byte for byte as it was when erasure cannot rename its rewrite into place', async () => {
    const { disk, state } = faultyDisk(Infinity)
    const dataDir = await tempDir()
    const file = join(dataDir, partition, 'a.ndjson')
    const content = [line('m1', 'ada'), line('m2', 'grace')].map((l) => JSON.stringify(l)).join('\n') + '\n'
    await mkdir(join(dataDir, partition), { recursive: true })
    await writeFile(file, content)
    state.fail.add('rename')
    await expect(erasePerson({ dataDir, target: { userId: 'ada' }, disk })).rejects.toThrow(/EIO/)
    expect(await readFile(file, 'utf8')).toBe(content)
    state.fail.clear()
    const report = await erasePerson({ dataDir, target: { userId: 'ada' }, disk })
    expect(report.removed).toBe(1)
    expect((await readLines(dataDir)).map((l) => l.messageId)).toEqual(['m2'])
  })
})
