import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/helpers.js'
import { type Disk, type DiskFile, nodeDisk } from '../src/disk.js'
import { openLogFile, roundBytes } from '../src/log-file.js'

/** A write the test lets through (to the real file) or fails, in whatever order it likes. */
interface HeldWrite {
  text: string
  pass(): Promise<void>
  fail(): void
}

/** A disk whose every write waits for the test: several rounds can be in flight, and finish in any order. */
function steeredDisk() {
  const writes: HeldWrite[] = []
  const disk: Disk = {
    ...nodeDisk,
    async open(path, flags) {
      const file = await nodeDisk.open(path, flags)
      const steered: DiskFile = {
        write: ((buffer: Buffer, offset: number, length: number, position: number) =>
          new Promise((resolve, reject) => {
            writes.push({
              text: buffer.toString('utf8', offset, offset + length),
              pass: () =>
                file.write(buffer, offset, length, position).then((result) => resolve(result as never), reject),
              fail: () => reject(Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' })),
            })
          })) as DiskFile['write'],
        read: file.read.bind(file),
        stat: file.stat.bind(file),
        datasync: () => file.datasync(),
        sync: () => file.sync(),
        truncate: (length) => file.truncate(length),
        close: () => file.close(),
      }
      return steered
    },
  }
  return { disk, writes }
}

/** An append's state, readable without waiting for it. */
function watch(promise: Promise<void>) {
  const state = { settled: 'pending' as 'pending' | 'kept' | 'failed' }
  promise.then(
    () => (state.settled = 'kept'),
    () => (state.settled = 'failed'),
  )
  return state
}

// Lines large enough that each round starts beside the one in flight (smaller appends wait to share the next).
const line = (n: number) => JSON.stringify({ n, pad: 'x'.repeat(roundBytes) }) + '\n'

// A macrotask: every promise reaction queued by a finished write has run by then.
const settleReactions = () => new Promise((resolve) => setImmediate(resolve))

describe('group commits written at once', () => {
  const dirs: string[] = []
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
  })

  it('writes a large next round while one is in flight, and acknowledges them in file order whichever finishes first', async () => {
    const dir = await tempDir('spoor-rounds-')
    dirs.push(dir)
    const { disk, writes } = steeredDisk()
    const file = await openLogFile(join(dir, 'a.ndjson'), 'fsync', { disk })
    const first = watch(file.append(line(1)))
    await expect.poll(() => writes.length).toBe(1)
    const second = watch(file.append(line(2)))
    // The second round is written while the first is still on its way, at the offset after it.
    await expect.poll(() => writes.length).toBe(2)
    expect(writes.map((write) => write.text)).toEqual([line(1), line(2)])

    await writes[1]!.pass()
    await settleReactions()
    // Written, but not acknowledged: the round before it is not on disk yet.
    expect(second.settled).toBe('pending')
    await writes[0]!.pass()
    await expect.poll(() => [first.settled, second.settled]).toEqual(['kept', 'kept'])

    await file.publish()
    expect(await readFile(join(dir, 'a.ndjson'), 'utf8')).toBe(line(1) + line(2))
  })

  it('fails every round after a failed one, even those written, and publishes only what it acknowledged', async () => {
    const dir = await tempDir('spoor-rounds-')
    dirs.push(dir)
    const { disk, writes } = steeredDisk()
    const failed: unknown[] = []
    const file = await openLogFile(join(dir, 'b.ndjson'), 'fsync', {
      disk,
      observer: { failed: (error) => failed.push(error) },
    })
    const appends: ReturnType<typeof watch>[] = []
    for (let n = 1; n <= 3; n++) {
      appends.push(watch(file.append(line(n))))
      await expect.poll(() => writes.length).toBe(n)
    }
    await writes[2]!.pass()
    writes[1]!.fail()
    await expect.poll(() => failed.length).toBe(1)
    // The file takes nothing more once a write failed.
    await expect(file.append(line(4))).rejects.toThrow(/EIO/)
    await writes[0]!.pass()
    await expect.poll(() => appends.map((append) => append.settled)).toEqual(['kept', 'failed', 'failed'])

    await file.publish()
    // The third round reached the file, after the gap the second left: the publish cuts it off with the gap.
    expect(await readFile(join(dir, 'b.ndjson'), 'utf8')).toBe(line(1))
  })

  it('keeps small appends behind the write in flight, to share one write once it is back', async () => {
    const dir = await tempDir('spoor-rounds-')
    dirs.push(dir)
    const { disk, writes } = steeredDisk()
    const file = await openLogFile(join(dir, 'c.ndjson'), 'fsync', { disk })
    const first = file.append('{"n":1}\n')
    await expect.poll(() => writes.length).toBe(1)
    const rest = [file.append('{"n":2}\n')]
    await settleReactions()
    rest.push(file.append('{"n":3}\n'))
    await settleReactions()
    expect(writes.length).toBe(1)
    await writes[0]!.pass()
    await first
    await expect.poll(() => writes.length).toBe(2)
    expect(writes[1]!.text).toBe('{"n":2}\n{"n":3}\n')
    await writes[1]!.pass()
    await Promise.all(rest)
    await file.publish()
    expect(await readFile(join(dir, 'c.ndjson'), 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n')
  })
})
