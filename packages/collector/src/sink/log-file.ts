import { open, rename, unlink, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { syncDirectory } from './sync-directory.js'

/** How far a write must get before the collector says 2xx. */
export type Durability = 'fsync' | 'write'

/** An NDJSON file being written: named `*.ndjson.open` until published as `*.ndjson`. */
export interface LogFile {
  /** Appends complete lines; resolves once they are in the file (and on disk, with `fsync`). */
  append(text: string): Promise<void>
  /** Finishes pending appends, cuts any failed tail, closes and renames the file to its published name. */
  publish(): Promise<void>
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
 * share the next one. Writes go at explicit offsets, so a failed write (disk full) leaves nothing committed: the
 * next write overwrites its tail, and publishing cuts it.
 */
export async function openLogFile(path: string, durability: Durability): Promise<LogFile> {
  const openPath = path + openSuffix
  const handle: FileHandle = await open(openPath, 'wx')
  if (durability === 'fsync') await syncDirectory(dirname(path))
  let committed = 0
  let queue: Pending[] = []
  let draining: Promise<void> | undefined

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
      const buffer = round.length === 1 ? round[0]!.chunk : Buffer.concat(round.map((p) => p.chunk))
      try {
        await writeAll(buffer)
        if (durability === 'fsync') await handle.datasync()
        committed += buffer.length
        for (const pending of round) pending.resolve()
      } catch (error) {
        for (const pending of round) pending.reject(error)
      }
    }
    draining = undefined
  }

  return {
    append(text) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ chunk: Buffer.from(text), resolve, reject })
        draining ??= drain()
      })
    },
    async publish() {
      while (draining) await draining
      await handle.truncate(committed)
      if (durability === 'fsync') await handle.sync()
      await handle.close()
      if (committed === 0) return unlink(openPath)
      await rename(openPath, path)
      if (durability === 'fsync') await syncDirectory(dirname(path))
    },
  }
}
