import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Disk } from './disk.js'
import { type Durability, type LogFile, type LogFileObserver, openLogFile } from './log-file.js'
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
  disk?: Disk
  /** Told of bytes written, fsync times and failures of every file. */
  observer?: LogFileObserver
  /** Told of every file published. */
  published?(): void
}

export interface PartitionedLog {
  /** Appends complete NDJSON lines (text, or its UTF-8 bytes) to the file of `at`'s partition. */
  append(at: Date, lines: string | Buffer): Promise<void>
  /** Whether `openPath` is a file this log is still writing (recovery leaves those alone). */
  isActive(openPath: string): boolean
  /** Publishes every open file. */
  close(): Promise<void>
}

interface Entry {
  opened: Promise<LogFile>
  /** The file once open, so that appends need not wait on `opened` (one promise fewer per pending write). */
  file?: LogFile
  bytes: number
  openedAt: number
  openPath: string
}

// Sortable by opening time (and by sequence within a process), unique across processes and restarts.
const processTag = randomBytes(4).toString('hex')
let sequence = 0
const fileName = (date: Date) =>
  `${date.toISOString().replace(/[-:.]/g, '')}-${String(++sequence).padStart(6, '0')}-${processTag}.ndjson`

/**
 * Hour-partitioned NDJSON files: `root/dt=YYYY-MM-DD/hour=HH/<time>-<random>.ndjson`. A file is published (renamed
 * from `*.ndjson.open`) when it is full, old, or its hour is over, when a write to it failed, and on close. The
 * path is made of the server's clock and a counter only: nothing from a request ever becomes part of it.
 */
export function createPartitionedLog(options: PartitionedLogOptions): PartitionedLog {
  const maxBytes = options.maxFileBytes ?? 64 * 1024 * 1024
  const maxAge = options.maxFileAgeMs ?? 60_000
  const now = options.now ?? (() => new Date())
  const files = new Map<string, Entry>()
  const active = new Set<string>()
  const publishing = new Set<Promise<void>>()

  const open = (partition: string): Entry => {
    const dir = join(options.root, partition)
    const path = join(dir, fileName(now()))
    const entry: Entry = { bytes: 0, openedAt: Date.now(), openPath: path + '.open', opened: undefined! }
    const observer: LogFileObserver = {
      ...options.observer,
      failed(error) {
        // A file whose write failed takes nothing more: publish what it committed, open a fresh one next time.
        if (files.get(partition) === entry) retire(partition, entry)
        options.observer?.failed?.(error)
      },
    }
    active.add(entry.openPath)
    entry.opened = mkdir(dir, { recursive: true })
      .then(() => openLogFile(path, options.durability, { ...(options.disk ? { disk: options.disk } : {}), observer }))
      .then((file) => (entry.file = file))
    // A file that could not be opened (disk full, permissions) is forgotten, so the next append tries afresh.
    entry.opened.catch((error: unknown) => {
      active.delete(entry.openPath)
      if (files.get(partition) === entry) files.delete(partition)
      options.observer?.failed?.(error)
    })
    files.set(partition, entry)
    return entry
  }

  // Publishing is chained on the same promise as the appends, so every append handed out before runs first. A
  // publish that fails (the disk broke) leaves the file `.open`: recovery finishes it once the disk works again.
  const retire = (partition: string, entry: Entry) => {
    if (files.get(partition) === entry) files.delete(partition)
    const done = entry.opened
      .then((file) => file.publish())
      .then((published) => {
        if (published) options.published?.()
      })
      .catch(() => {})
      .finally(() => active.delete(entry.openPath))
    publishing.add(done)
    void done.finally(() => publishing.delete(done))
  }

  const timer = setInterval(
    () => {
      const current = partitionOf(now())
      for (const [partition, entry] of files) {
        if (partition !== current || Date.now() - entry.openedAt >= maxAge) retire(partition, entry)
      }
    },
    Math.min(1000, maxAge),
  )
  timer.unref()

  return {
    append(at, lines) {
      const partition = partitionOf(at)
      let entry = files.get(partition)
      if (entry && entry.bytes >= maxBytes) {
        retire(partition, entry)
        entry = undefined
      }
      entry ??= open(partition)
      // Encoded once (here, unless the caller did): its size counts toward rotation, and the file writes these bytes.
      const chunk = typeof lines === 'string' ? Buffer.from(lines) : lines
      entry.bytes += chunk.length
      return entry.file ? entry.file.append(chunk) : entry.opened.then((file) => file.append(chunk))
    },
    isActive: (openPath) => active.has(openPath),
    async close() {
      clearInterval(timer)
      for (const [partition, entry] of files) retire(partition, entry)
      await Promise.all(publishing)
    },
  }
}
