import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { openLogFile, type Durability, type LogFile } from './log-file.js'
import { partitionOf } from './partition.js'

export interface PartitionedLogOptions {
  /** Folder of this log, e.g. `DATA/events`. */
  root: string
  durability: Durability
  /** Publish a file once it holds this many bytes (default 64 MiB). */
  maxFileBytes?: number
  /** Publish a file this long after it was opened, in ms (default 60 s). */
  maxFileAgeMs?: number
  now?: () => Date
}

export interface PartitionedLog {
  /** Appends complete NDJSON lines to the file of `at`'s partition. */
  append(at: Date, text: string): Promise<void>
  /** Publishes every open file. */
  close(): Promise<void>
}

interface Entry {
  opened: Promise<LogFile>
  bytes: number
  openedAt: number
}

// Sortable by opening time (and by sequence within a process), unique across processes and restarts.
const processTag = randomBytes(4).toString('hex')
let sequence = 0
const fileName = (date: Date) =>
  `${date.toISOString().replace(/[-:.]/g, '')}-${String(++sequence).padStart(6, '0')}-${processTag}.ndjson`

/**
 * Hour-partitioned NDJSON files: `root/dt=YYYY-MM-DD/hour=HH/<time>-<random>.ndjson`. A file is published (renamed
 * from `*.ndjson.open`) when it is full, old, or its hour is over, and on close.
 */
export function createPartitionedLog(options: PartitionedLogOptions): PartitionedLog {
  const maxBytes = options.maxFileBytes ?? 64 * 1024 * 1024
  const maxAge = options.maxFileAgeMs ?? 60_000
  const now = options.now ?? (() => new Date())
  const files = new Map<string, Entry>()
  const publishing = new Set<Promise<void>>()

  const open = (partition: string): Entry => {
    const dir = join(options.root, partition)
    const entry: Entry = {
      opened: mkdir(dir, { recursive: true }).then(() => openLogFile(join(dir, fileName(now())), options.durability)),
      bytes: 0,
      openedAt: Date.now(),
    }
    // A file that could not be opened (disk full, permissions) is forgotten, so the next append tries afresh.
    entry.opened.catch(() => files.get(partition) === entry && files.delete(partition))
    files.set(partition, entry)
    return entry
  }

  // Publishing is chained on the same promise as the appends, so every append handed out before runs first.
  const retire = (partition: string, entry: Entry) => {
    files.delete(partition)
    const done = entry.opened.then((file) => file.publish()).catch(() => {})
    publishing.add(done)
    void done.finally(() => publishing.delete(done))
  }

  const timer = setInterval(() => {
    const current = partitionOf(now())
    for (const [partition, entry] of files) {
      if (partition !== current || Date.now() - entry.openedAt >= maxAge) retire(partition, entry)
    }
  }, Math.min(1000, maxAge))
  timer.unref()

  return {
    append(at, text) {
      const partition = partitionOf(at)
      let entry = files.get(partition)
      if (entry && entry.bytes >= maxBytes) {
        retire(partition, entry)
        entry = undefined
      }
      entry ??= open(partition)
      entry.bytes += Buffer.byteLength(text)
      return entry.opened.then((file) => file.append(text))
    },
    async close() {
      clearInterval(timer)
      for (const [partition, entry] of files) retire(partition, entry)
      await Promise.all(publishing)
    },
  }
}
