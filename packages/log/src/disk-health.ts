import { join } from 'node:path'
import { type SinkHealth, SinkUnavailableError } from '@spoor/protocol'
import type { Disk } from './disk.js'
import { type Logger, silentLogger } from './logger.js'

/** The folder to watch, its disk, the watermark and how often to look. */
export interface DiskHealthOptions {
  dataDir: string
  disk: Disk
  /** Refuse writes while fewer bytes than this are free (default 100 MiB). */
  minFreeBytes: number
  /** How often free space is checked, and a failed disk probed (default 1 s). */
  checkEveryMs?: number
  log?: Logger
  /** Called once writes work again (after a failure or a full disk), e.g. to publish files a failure stranded. */
  recovered?(): Promise<void>
  /**
   * Called after a failure once a probe write succeeds, before writes go on; a rejection keeps them refused (the
   * data folder, deleted and made again, has lost its lock, and another collector may hold it now).
   */
  reclaim?(): Promise<void>
}

/** The disk's state as the sink sees it, and the checks that change it. */
export interface DiskHealth {
  state(): SinkHealth
  /** Throws {@link SinkUnavailableError} unless writes may go ahead. */
  assertReady(): void
  /** A write or sync failed: refuse writes until a probe write succeeds. */
  failed(error: unknown): void
  /** Checks now (free space, and a probe write while failed). */
  check(): Promise<void>
  close(): void
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

// A system error's code (ENOSPC, EACCES …): its message would carry the file's path.
const errorCode = (error: unknown) =>
  (error as NodeJS.ErrnoException)?.code ?? (error instanceof Error ? error.name : 'error')

/**
 * Watches the data folder's disk: free space against a watermark every second, and after a failed write a small
 * probe write until one succeeds. While either is wrong the sink refuses writes up front (503, `/readyz` not
 * ready), so nothing is half-written on a full disk; once space returns it takes writes again by itself.
 */
export function createDiskHealth(options: DiskHealthOptions): DiskHealth {
  const log = options.log ?? silentLogger
  const every = options.checkEveryMs ?? 1000
  const retryAfter = Math.max(1, Math.ceil((every * 2) / 1000))
  let freeBytes = Number.POSITIVE_INFINITY
  let writeError: string | undefined
  let lowSpace = false
  let checking: Promise<void> | undefined
  let reported: string | undefined

  // The reason goes into 503 answers and /readyz, which anyone may read: it names the data folder, never its path
  // (the log line, which only the operator reads, carries the path).
  const reason = () =>
    writeError
      ? `writes to the data folder fail (${writeError}); retrying`
      : lowSpace
        ? `disk below watermark: ${mib(freeBytes)} free in the data folder, ${mib(options.minFreeBytes)} required`
        : undefined

  // Told once per kind of trouble: the free space in the reason changes with every check while anything else on
  // the disk writes, and a line per check would fill the log of a process waiting for room.
  const report = (wasReady: boolean) => {
    const now = reason()
    const kind = writeError ? `fails: ${writeError}` : lowSpace ? 'low space' : undefined
    if (now && kind !== reported) log.warn('sink not ready', { reason: now, dataDir: options.dataDir })
    if (!now && !wasReady) log.info('sink ready again', { freeBytes })
    reported = kind
  }

  const probe = async () => {
    const path = join(options.dataDir, '.spoor-probe')
    const file = await options.disk.open(path, 'w')
    try {
      await file.write(Buffer.alloc(4096, 10), 0, 4096, 0)
      await file.datasync()
    } finally {
      await file.close()
      await options.disk.unlink(path).catch(() => {})
    }
  }

  const check = () =>
    (checking ??= (async () => {
      const wasReady = !reason()
      try {
        freeBytes = await options.disk.freeBytes(options.dataDir)
        lowSpace = freeBytes < options.minFreeBytes
        if (writeError && !lowSpace) {
          await probe()
          await options.reclaim?.()
          writeError = undefined
        }
      } catch (error) {
        writeError = errorCode(error)
      }
      if (!reason() && !wasReady) await options.recovered?.().catch(() => {})
      report(wasReady)
    })().finally(() => (checking = undefined)))

  const timer = setInterval(() => void check(), every)
  timer.unref()

  return {
    state: () => {
      const why = reason()
      return why ? { ready: false, reason: why, retryAfter, freeBytes } : { ready: true, retryAfter: 0, freeBytes }
    },
    assertReady() {
      const why = reason()
      if (why) throw new SinkUnavailableError(why, retryAfter)
    },
    failed(error) {
      const wasReady = !reason()
      writeError = errorCode(error)
      report(wasReady)
    },
    check,
    close: () => clearInterval(timer),
  }
}
