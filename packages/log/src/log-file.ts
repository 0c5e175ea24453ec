import { constants } from 'node:fs'
import { dirname } from 'node:path'
import { type Disk, nodeDisk } from './disk.js'

/** How far a write must get before the collector says 2xx. */
export type Durability = 'fsync' | 'write'

/** An NDJSON file being written: named `*.ndjson.open` until published as `*.ndjson`. */
export interface LogFile {
  /** The path while open (`*.ndjson.open`). */
  readonly openPath: string
  /** Appends complete lines (text, or its UTF-8 bytes); resolves once they are in the file (and on disk, with `fsync`). */
  append(lines: string | Buffer): Promise<void>
  /**
   * Finishes pending appends, cuts any failed tail, closes and renames the file to its published name. Resolves
   * to false when the file was empty and removed instead.
   */
  publish(): Promise<boolean>
}

/** What a log file reports as it goes: for metrics, and so that its owner can retire it when it fails. */
export interface LogFileObserver {
  written?(bytes: number): void
  synced?(seconds: number): void
  /** A write or sync failed: the file takes no more appends and should be published as it stands. */
  failed?(error: unknown): void
}

/** A write to a file that was removed while open: nothing written to it can be read again. */
const removedError = (path: string) =>
  Object.assign(new Error(`ENOENT: the file was removed while being written, ${path}`), { code: 'ENOENT' })

/** The suffix of a file still being written: a loader globbing `*.ndjson` never sees it. */
export const openSuffix = '.open'

interface Pending {
  chunk: Buffer
  resolve(): void
  reject(error: unknown): void
}

/** One group commit: the appends of a tick, written together at `offset`. */
interface Round {
  pending: Pending[]
  offset: number
  length: number
  /** Set once its write (and sync) has returned: true, or the error. */
  outcome?: true | { error: unknown }
}

/** Group commits written at once. A virtual disk syncs several writes in about the time of one. */
const roundsInFlight = 4
/**
 * Bytes queued before a round starts beside one in flight. Each durable write costs the CPU 0.1–0.2 ms in the
 * kernel whatever its size: small appends (pixels) wait for the write in flight and share the next, as in plain
 * group commit, and only a queue this large is worth a write of its own. At 64 KiB (three or four batches of 20
 * events) a busy collector made so many small durable writes that it took 12% fewer events a second than at
 * 256 KiB (32 connections of 20-event batches, three alternating runs each: 49,300–50,200 against 55,300–57,300).
 */
export const roundBytes = 256 * 1024

/**
 * Opens `path + '.open'` for appending, with group commit: appends that arrive while writes (and syncs) run share
 * the next one, so a thousand concurrent requests cost a few fsyncs, not a thousand. Once {@link roundBytes} are
 * queued behind a write, up to {@link roundsInFlight} rounds are written at once, each at its own offset, so that a
 * slow sync does not leave the CPU idle with every connection waiting.
 *
 * Writes go at explicit offsets and `committed` moves only after the data (and fsync) succeeded, and only over
 * whole rounds in file order: a round is acknowledged once it and every round before it are written, so what is
 * acknowledged is always a prefix of the file, whatever order the writes finish in (a crash can leave a later
 * round on disk after an unwritten gap: recovery cuts the file at the gap). A failed write leaves nothing
 * committed past it. After the first failure the file takes no more appends: a failed fsync may have dropped
 * dirty pages that a later fsync would report as clean (PostgreSQL's "fsyncgate"), so the file is published cut
 * back to what was committed and a fresh one is opened for what follows.
 */
export async function openLogFile(
  path: string,
  durability: Durability,
  options: { disk?: Disk; observer?: LogFileObserver } = {},
): Promise<LogFile> {
  const disk = options.disk ?? nodeDisk
  const observer = options.observer ?? {}
  const openPath = path + openSuffix
  // With fsync durability the file is opened O_DSYNC: each write returns once its data is on disk, one system
  // call per group commit instead of a write and an fdatasync (two trips through libuv's thread pool).
  // Where there is no O_DSYNC (Windows), each write is followed by an fdatasync instead.
  const dsync = durability === 'fsync' && typeof constants.O_DSYNC === 'number'
  const flags = dsync ? constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_DSYNC : 'wx'
  const handle = await disk.open(openPath, flags)
  if (durability === 'fsync') {
    try {
      await disk.syncDirectory(dirname(path))
    } catch (error) {
      await handle.close().catch(() => {})
      await disk.unlink(openPath).catch(() => {})
      throw error
    }
  }
  /** Bytes written and synced, a prefix of whole rounds: what a publish keeps. */
  let committed = 0
  /** The end of every round handed to a write. */
  let reserved = 0
  let queue: Pending[] = []
  let queuedBytes = 0
  let scheduled = false
  /** Rounds written and not yet settled, in file order. */
  const rounds: Round[] = []
  /** The first write failure, and the offset from which nothing can be committed (the lowest failed round's). */
  let failure: unknown
  let failedFrom = Infinity
  let idleWaiters: (() => void)[] = []

  const writeAll = async (buffer: Buffer, offset: number) => {
    let done = 0
    while (done < buffer.length) {
      const { bytesWritten } = await handle.write(buffer, done, buffer.length - done, offset + done)
      done += bytesWritten
    }
  }

  // Settles the rounds at the front whose writes are back, in file order: a round is kept only when it and every
  // round before it were written.
  const settle = () => {
    while (rounds.length && rounds[0]!.outcome) {
      const round = rounds.shift()!
      const outcome = round.outcome!
      if (outcome === true && round.offset < failedFrom) {
        committed += round.length
        observer.written?.(round.length)
        for (const pending of round.pending) pending.resolve()
      } else {
        const error = outcome === true ? failure : outcome.error
        for (const pending of round.pending) pending.reject(error)
      }
    }
    if (failedFrom < Infinity) {
      for (const pending of queue) pending.reject(failure)
      queue = []
      queuedBytes = 0
    }
    start()
  }

  const writeRound = async (round: Round, buffer: Buffer) => {
    try {
      const started = performance.now()
      await writeAll(buffer, round.offset)
      if (durability === 'fsync' && !dsync) await handle.datasync()
      // A file removed while open (its folder deleted by hand, a clean-up job) still takes writes, into an inode
      // nobody can read and that its publish cannot rename: such lines are not kept, so the round fails.
      if ((await handle.stat()).nlink === 0) throw removedError(openPath)
      if (durability === 'fsync') observer.synced?.((performance.now() - started) / 1000)
      round.outcome = true
    } catch (error) {
      round.outcome = { error }
      // Known at once, so that nothing more is appended or written; rounds before this one may still be kept.
      const first = failedFrom === Infinity
      if (round.offset < failedFrom) failedFrom = round.offset
      if (first) {
        failure = error
        observer.failed?.(error)
      }
    }
    settle()
  }

  // Hands what is queued to a new round, while fewer than roundsInFlight are being written.
  const start = () => {
    scheduled = false
    const worthARound = rounds.length === 0 || (rounds.length < roundsInFlight && queuedBytes >= roundBytes)
    if (queue.length && failedFrom === Infinity && worthARound) {
      const pending = queue
      queue = []
      queuedBytes = 0
      const buffer = pending.length === 1 ? pending[0]!.chunk : Buffer.concat(pending.map((p) => p.chunk))
      const round: Round = { pending, offset: reserved, length: buffer.length }
      reserved += buffer.length
      rounds.push(round)
      void writeRound(round, buffer)
    }
    if (!queue.length && !rounds.length && idleWaiters.length) {
      const waiters = idleWaiters
      idleWaiters = []
      for (const resolve of waiters) resolve()
    }
  }
  const idle = () =>
    queue.length || rounds.length ? new Promise<void>((resolve) => idleWaiters.push(resolve)) : Promise.resolve()

  return {
    openPath,
    append(lines) {
      if (failedFrom < Infinity) return Promise.reject(failure)
      return new Promise<void>((resolve, reject) => {
        const chunk = typeof lines === 'string' ? Buffer.from(lines) : lines
        queue.push({ chunk, resolve, reject })
        queuedBytes += chunk.length
        // Started a microtask later, so that the appends of one tick go in one write.
        if (!scheduled) {
          scheduled = true
          queueMicrotask(start)
        }
      })
    },
    async publish() {
      while (queue.length || rounds.length) await idle()
      try {
        await handle.truncate(committed)
        if (durability === 'fsync') await handle.sync()
      } finally {
        await handle.close()
      }
      if (committed === 0) {
        await disk.unlink(openPath)
        return false
      }
      await disk.rename(openPath, path)
      if (durability === 'fsync') await disk.syncDirectory(dirname(path))
      return true
    },
  }
}
