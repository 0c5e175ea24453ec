import { constants } from 'node:fs'
import { rename, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import { nodeDisk, type Disk } from './disk.js'
import { syncDirectory } from './sync-directory.js'

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

/** The suffix of a file still being written: a loader globbing `*.ndjson` never sees it. */
export const openSuffix = '.open'

interface Pending {
  chunk: Buffer
  resolve(): void
  reject(error: unknown): void
}

/**
 * Opens `path + '.open'` for appending, with group commit: appends that arrive while a write (and fsync) runs
 * share the next one, so a thousand concurrent requests cost a few fsyncs, not a thousand.
 *
 * Writes go at explicit offsets and `committed` moves only after the data (and fsync) succeeded, so a failed
 * write leaves nothing committed. After the first failure the file takes no more appends: a failed fsync may
 * have dropped dirty pages that a later fsync would report as clean (PostgreSQL's "fsyncgate"), so the file is
 * published cut back to what was committed and a fresh one is opened for what follows.
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
      await syncDirectory(dirname(path))
    } catch (error) {
      await handle.close().catch(() => {})
      await unlink(openPath).catch(() => {})
      throw error
    }
  }
  let committed = 0
  let queue: Pending[] = []
  let draining: Promise<void> | undefined
  let failure: unknown

  const writeAll = async (buffer: Buffer) => {
    let done = 0
    while (done < buffer.length) {
      const { bytesWritten } = await handle.write(buffer, done, buffer.length - done, committed + done)
      done += bytesWritten
    }
  }

  const drain = async () => {
    while (queue.length) {
      const round = queue
      queue = []
      if (failure) {
        for (const pending of round) pending.reject(failure)
        continue
      }
      const buffer = round.length === 1 ? round[0]!.chunk : Buffer.concat(round.map((p) => p.chunk))
      try {
        const started = performance.now()
        await writeAll(buffer)
        if (durability === 'fsync' && !dsync) await handle.datasync()
        if (durability === 'fsync') observer.synced?.((performance.now() - started) / 1000)
        committed += buffer.length
        observer.written?.(buffer.length)
        for (const pending of round) pending.resolve()
      } catch (error) {
        failure = error
        for (const pending of round) pending.reject(error)
        observer.failed?.(error)
      }
    }
    draining = undefined
  }

  return {
    openPath,
    append(lines) {
      if (failure) return Promise.reject(failure)
      return new Promise<void>((resolve, reject) => {
        queue.push({ chunk: typeof lines === 'string' ? Buffer.from(lines) : lines, resolve, reject })
        // Started a microtask later, so that the appends of one tick go in one write.
        draining ??= Promise.resolve().then(drain)
      })
    },
    async publish() {
      while (draining) await draining
      try {
        await handle.truncate(committed)
        if (durability === 'fsync') await handle.sync()
      } finally {
        await handle.close()
      }
      if (committed === 0) {
        await unlink(openPath)
        return false
      }
      await rename(openPath, path)
      if (durability === 'fsync') await syncDirectory(dirname(path))
      return true
    },
  }
}
