import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createNdjsonSink, recoverOpenFiles } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { readLines, tempDir } from '../../../test/support/helpers.js'

const line = (id: string) => JSON.stringify({ messageId: id }) + '\n'
const partition = 'events/dt=2026-11-23/hour=15'

async function leftOpen(dataDir: string, name: string, content: string) {
  await mkdir(join(dataDir, partition), { recursive: true })
  await writeFile(join(dataDir, partition, name + '.ndjson.open'), content)
}

describe('recovery of files a killed collector left open', () => {
  it('cuts a file back to its last complete line and publishes it', async () => {
    const dataDir = await tempDir()
    await leftOpen(dataDir, 'a', line('m1') + line('m2') + '{"messageId":"m3","type":"tr')
    const report = await recoverOpenFiles(join(dataDir, 'events'), 'fsync')
    expect(report).toEqual({ published: 1, removed: 0, cutBytes: '{"messageId":"m3","type":"tr'.length })
    expect(await readdir(join(dataDir, partition))).toEqual(['a.ndjson'])
    expect(await readFile(join(dataDir, partition, 'a.ndjson'), 'utf8')).toBe(line('m1') + line('m2'))
  })

  it('cuts at the first line that does not parse (a torn write followed by zeros), and removes a file with nothing whole', async () => {
    const dataDir = await tempDir()
    await leftOpen(dataDir, 'torn', line('m1') + '{"messageId":"m2"\u0000\u0000\n' + line('m3'))
    await leftOpen(dataDir, 'empty', '{"messageId":"m')
    const report = await recoverOpenFiles(join(dataDir, 'events'), 'write')
    expect(report.published).toBe(1)
    expect(report.removed).toBe(1)
    expect((await readLines(dataDir)).map((e) => e.messageId)).toEqual(['m1'])
    expect(await readdir(join(dataDir, partition))).toEqual(['torn.ndjson'])
  })

  it('handles lines that straddle its read chunks', async () => {
    const dataDir = await tempDir()
    const big = Array.from(
      { length: 3000 },
      (_, i) => JSON.stringify({ messageId: `m${i}`, pad: 'x'.repeat(700) }) + '\n',
    ).join('')
    await leftOpen(dataDir, 'big', big + '{"cut')
    await recoverOpenFiles(join(dataDir, 'events'), 'write')
    expect(await readLines(dataDir)).toHaveLength(3000)
  })

  it('runs when a sink starts, before its first write, and leaves files of other logs whole', async () => {
    const dataDir = await tempDir()
    await leftOpen(dataDir, 'crashed', line('before') + '{"half')
    const sink = createNdjsonSink({ dataDir, minFreeBytes: 0 })
    expect(await sink.ready).toEqual({ published: 1, removed: 0, cutBytes: 6 })
    await sink.write([{ messageId: 'after' } as never], new Date('2026-11-23T15:30:00Z'))
    await sink.close()
    expect((await readLines(dataDir)).map((e) => e.messageId).sort()).toEqual(['after', 'before'])
  })

  it('refuses a data folder that a live collector holds, and takes over the lock of a dead one', async () => {
    const dataDir = await tempDir()
    // pid 1 is always alive; a pid far past pid_max is never.
    await writeFile(join(dataDir, '.spoor.lock'), '1')
    const busy = createNdjsonSink({ dataDir, minFreeBytes: 0 })
    await expect(busy.ready).rejects.toThrow(/is in use by another collector \(pid 1\)/)
    expect(busy.health()).toMatchObject({ ready: false, reason: expect.stringMatching(/in use by another collector/) })
    await busy.close()
    await writeFile(join(dataDir, '.spoor.lock'), '999999999')
    const sink = createNdjsonSink({ dataDir, minFreeBytes: 0 })
    await expect(sink.ready).resolves.toBeTruthy()
    expect((await readFile(join(dataDir, '.spoor.lock'), 'utf8')).split('\n')[0]).toBe(String(process.pid))
    await sink.close()
    await expect(readFile(join(dataDir, '.spoor.lock'))).rejects.toThrow(/ENOENT/)
  })

  it('takes over a lock written before the machine restarted, though its pid now belongs to a live process', async (ctx) => {
    const boot = await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')
    // Only Linux says which boot a process runs in; elsewhere a live pid keeps the lock, as the test above shows.
    if (!boot) ctx.skip()
    const dataDir = await tempDir()
    // A power cut: the lock names the collector's pid of the boot before, which is pid 1's now.
    await writeFile(join(dataDir, '.spoor.lock'), '1\n00000000-0000-4000-8000-000000000000\n')
    await leftOpen(dataDir, 'before-the-cut', line('kept'))
    const sink = createNdjsonSink({ dataDir, minFreeBytes: 0 })
    await expect(sink.ready).resolves.toMatchObject({ published: 1 })
    const [pid, lockBoot] = (await readFile(join(dataDir, '.spoor.lock'), 'utf8')).split('\n')
    expect([pid, lockBoot]).toEqual([String(process.pid), boot.trim()])
    await sink.close()
    expect((await readLines(dataDir)).map((event) => event.messageId)).toEqual(['kept'])

    // The same boot: pid 1 is alive, and holds the folder.
    await writeFile(join(dataDir, '.spoor.lock'), `1\n${boot.trim()}\n`)
    const busy = createNdjsonSink({ dataDir, minFreeBytes: 0 })
    await expect(busy.ready).rejects.toThrow(/is in use by another collector \(pid 1\)/)
    await busy.close()
  })
})
