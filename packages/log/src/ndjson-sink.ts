import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type EventSink, SinkUnavailableError } from '@spoor/protocol'
import { lockDataDir } from './data-dir-lock.js'
import { type Disk, nodeDisk } from './disk.js'
import { createDiskHealth } from './disk-health.js'
import type { Durability } from './log-file.js'
import { type Logger, silentLogger } from './logger.js'
import type { Metrics } from './metrics.js'
import { createPartitionedLog, type PartitionedLog } from './partitioned-log.js'
import { type RecoveryReport, recoverOpenFiles } from './recover-open-files.js'

export interface NdjsonSinkOptions {
  /** The data folder: events go to `events/`, refused events to `rejected/`. */
  dataDir: string
  /** `fsync` (default): 2xx only once the lines are on disk. `write`: once handed to the OS. */
  durability?: Durability
  maxFileBytes?: number
  maxFileAgeMs?: number
  /** Refuse writes (503, not ready) while the disk has less free space than this (default 100 MiB). */
  minFreeBytes?: number
  /** How often free space is checked and a failed disk probed, in ms (default 1 s). */
  checkEveryMs?: number
  now?: () => Date
  /** The file system (default Node's); tests pass one that fails on purpose. */
  disk?: Disk
  metrics?: Metrics
  log?: Logger
}

/** The NDJSON sink: an {@link EventSink} over the data folder's files. */
export interface NdjsonSink extends EventSink {
  /** Resolves once the data folder is locked and what a crash left is recovered; writes wait for it. */
  readonly ready: Promise<RecoveryReport>
  /**
   * Resolves once the sink is ready, or is waiting for room on a full disk (see {@link createNdjsonSink}); rejects
   * as `ready` does on any other failure (the folder not writable, another collector holding it).
   */
  readonly started: Promise<void>
}

/**
 * The NDJSON bytes of `lines`, encoded straight into one buffer: no joined text beside them. A large batch's text
 * would be one more copy of the request, in the heap space only a full collection frees.
 */
export const toBytes = (lines: object[]): Buffer => {
  const texts = lines.map((line) => JSON.stringify(line))
  let size = texts.length
  for (const text of texts) size += Buffer.byteLength(text)
  const bytes = Buffer.allocUnsafe(size)
  let at = 0
  for (const text of texts) {
    at += bytes.write(text, at)
    bytes[at++] = 10
  }
  return bytes
}

/**
 * The NDJSON sink: one event per line under `DATA/events/dt=…/hour=…/`, refused events with their reason under
 * `DATA/rejected/…`, files published by atomic rename. On start it recovers the `*.ndjson.open` files a killed
 * process left; while the disk is full or failing it refuses writes instead of half-writing them.
 *
 * @example
 * const sink = createNdjsonSink({ dataDir: './data' })
 * await sink.ready // { published: 1, removed: 0, cutBytes: 37 } after a crash
 */
export function createNdjsonSink(options: NdjsonSinkOptions): NdjsonSink {
  const durability = options.durability ?? 'fsync'
  const disk = options.disk ?? nodeDisk
  const log = options.log ?? silentLogger
  const metrics = options.metrics
  metrics?.describe('bytes_written', 'Bytes of NDJSON written and acknowledged, by log (events, rejected).')
  metrics?.describe('files_published', 'NDJSON files published by rename, by log.')
  metrics?.describe('fsync_seconds', 'Time of one durable group-commit write (O_DSYNC: the write and its sync).')

  const roots = { events: join(options.dataDir, 'events'), rejected: join(options.dataDir, 'rejected') }
  const logs = {} as Record<keyof typeof roots, PartitionedLog>
  let closed = false

  const recoverAll = async (skip?: (path: string) => boolean) => {
    const total: RecoveryReport = { published: 0, removed: 0, cutBytes: 0 }
    for (const root of Object.values(roots)) {
      const report = await recoverOpenFiles(root, durability, skip, disk)
      total.published += report.published
      total.removed += report.removed
      total.cutBytes += report.cutBytes
    }
    return total
  }

  let release: (() => Promise<void>) | undefined
  const health = createDiskHealth({
    dataDir: options.dataDir,
    disk,
    minFreeBytes: options.minFreeBytes ?? 100 * 1024 * 1024,
    ...(options.checkEveryMs ? { checkEveryMs: options.checkEveryMs } : {}),
    log,
    // A data folder deleted while the collector ran, and made again, has no lock: claimed again before anything is
    // written or recovered, since a collector started on the folder meanwhile would publish this one's open files.
    reclaim: async () => {
      if (!release) return
      const holder = await readFile(join(options.dataDir, '.spoor.lock'), 'utf8').catch(() => '')
      // Ours still, or taken again (throws while another live collector holds it; a stale lock is taken over).
      if (Number(holder.split('\n')[0]) !== process.pid) release = await lockDataDir(options.dataDir)
    },
    // Files whose publish failed while the disk was broken are finished now that it works.
    recovered: async () => {
      const report = await recoverAll((path) => logs.events.isActive(path) || logs.rejected.isActive(path))
      if (report.published || report.removed) log.info('published files left open by a failed disk', { ...report })
    },
  })

  for (const name of ['events', 'rejected'] as const) {
    logs[name] = createPartitionedLog({
      root: roots[name],
      durability,
      ...(options.maxFileBytes ? { maxFileBytes: options.maxFileBytes } : {}),
      ...(options.maxFileAgeMs ? { maxFileAgeMs: options.maxFileAgeMs } : {}),
      ...(options.now ? { now: options.now } : {}),
      disk,
      observer: {
        written: (bytes) => metrics?.increment('bytes_written', bytes, { log: name }),
        synced: (seconds) => metrics?.observe('fsync_seconds', seconds),
        failed: (error) => {
          metrics?.increment('write_failures', 1, { log: name })
          log.error('write failed', { log: name, error: (error as NodeJS.ErrnoException).code ?? String(error) })
          health.failed(error)
        },
      },
      published: () => metrics?.increment('files_published', 1, { log: name }),
    })
  }

  let startup: 'running' | 'done' | Error = 'running'
  // Why the start waits for room on the disk, while it does.
  let waiting: string | undefined
  let wake: (() => void) | undefined
  const start = async () => {
    release ??= await lockDataDir(options.dataDir)
    const report = await recoverAll()
    if (report.published || report.removed) log.info('recovered files left open by a crash', { ...report })
    await health.check()
    return report
  }
  let startedOrWaiting: () => void = () => {}
  const started = new Promise<void>((resolve) => (startedOrWaiting = resolve))
  // A disk full at start (no room for the lock, or for publishing what a crash left) is waited out, as a disk that
  // fills while the collector runs: events are refused meanwhile (503, /readyz not ready) and taken once there is room.
  // Refusing to start made a supervisor restart it in a loop, and systemd gives up after five quick failures, leaving
  // the collector down once the disk had room again.
  const ready = (async () => {
    for (;;) {
      try {
        const report = await start()
        if (waiting) log.info('sink ready: the disk has room again', { dataDir: options.dataDir })
        waiting = undefined
        return report
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (closed || (code !== 'ENOSPC' && code !== 'EDQUOT')) throw error
        if (!waiting) log.warn('sink not ready: no room to start', { code, dataDir: options.dataDir })
        waiting = `the data folder's disk has no room to start (${code}); retrying`
        startedOrWaiting()
        await new Promise<void>((resolve) => {
          wake = resolve
          setTimeout(resolve, options.checkEveryMs ?? 1000).unref()
        })
        // Closed while waiting: nothing was started, nothing is left to recover or release.
        if (closed) return { published: 0, removed: 0, cutBytes: 0 }
      }
    }
  })()
  ready.then(
    () => {
      startup = 'done'
      startedOrWaiting()
    },
    (error: unknown) => (startup = error instanceof Error ? error : new Error(String(error))),
  )

  const append = async (name: keyof typeof roots, lines: object[], receivedAt: Date) => {
    if (!lines.length) return
    if (closed) throw new Error('the sink is closed')
    if (waiting) throw new SinkUnavailableError(waiting, 30)
    await ready
    health.assertReady()
    await logs[name].append(receivedAt, toBytes(lines))
  }
  // Once started, a write is handed to its log at once, without the wait above: every promise a pending write holds
  // is held for its whole group commit, by each of thousands of requests under load.
  const write = (name: keyof typeof roots, lines: object[], receivedAt: Date): Promise<void> => {
    if (startup !== 'done' || closed || !lines.length) return append(name, lines, receivedAt)
    try {
      health.assertReady()
      return logs[name].append(receivedAt, toBytes(lines))
    } catch (error) {
      return Promise.reject(error)
    }
  }

  // A caller that awaits `started` gets its failure; one that does not (a test of `ready` alone) leaves no
  // unhandled rejection behind.
  const startedOrFailed = Promise.race([started, ready.then(() => {})])
  startedOrFailed.catch(() => {})
  return {
    ready,
    started: startedOrFailed,
    health: () => {
      if (startup instanceof Error) return { ready: false, reason: startup.message, retryAfter: 30, freeBytes: 0 }
      if (waiting) return { ready: false, reason: waiting, retryAfter: 30, freeBytes: 0 }
      const state = health.state()
      return startup === 'running' ? { ...state, starting: true } : state
    },
    write: (lines, receivedAt) => write('events', lines, receivedAt),
    reject: (lines, receivedAt) => write('rejected', lines, receivedAt),
    close: async () => {
      closed = true
      wake?.()
      health.close()
      await ready.catch(() => {})
      await Promise.all([logs.events.close(), logs.rejected.close()])
      await release?.()
    },
  }
}
