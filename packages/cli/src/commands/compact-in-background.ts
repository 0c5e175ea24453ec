import { eraseDaysBefore, type Logger, removeOldErasureNotices } from '@spoor/log'
import { compactDays, daysCompactedByOlderVersion } from '@spoor/report'
import { firstDayWithin } from './erase.js'

/**
 * A compaction that runs every so often beside the collector; `stop` stops a run in progress (the day it was
 * writing is left as it was, for the next start) and waits for it to end.
 */
export interface BackgroundCompaction {
  stop(): Promise<void>
}

/**
 * Compacts the data folder every `everyMs`, starting one period after start-up, one run at a time; at once if a
 * day was compacted by an older version of spoor (after an upgrade), which the dashboard would otherwise read from
 * its NDJSON files for a whole period: minutes per view at a busy shop's month, if it can at all. A run changes
 * only the days whose files changed since, and publishes each by rename, so stopping (or a crash) at any point leaves
 * whole days; a failure is logged and the next period tries again. The NDJSON files stay the source of truth. Cart
 * decisions are made with the dashboard's window (`cartWindowMs`, default 60 minutes), so that it reads them.
 * With `keepMs`, each run first erases the days that arrived longer ago (`spoor erase --older-than`), so that no
 * compaction of a day races its erasure. With `keepFreeBytes` (the collector's `--min-free`), a day whose compaction
 * would take the disk below it is left for a later run: the collector would refuse events meanwhile.
 */
export function compactInBackground(
  dataDir: string,
  everyMs: number,
  log: Logger,
  cartWindowMs?: number,
  keepMs?: number,
  keepFreeBytes?: number,
): BackgroundCompaction {
  let running: Promise<void> | undefined
  const stopping = new AbortController()
  const run = () => {
    if (running) return
    const started = Date.now()
    running = eraseExpired(dataDir, keepMs, log)
      // The erasures' notices have been read by now (see erasure-notice.ts): they go after a day, --keep or not.
      .then(() => removeOldErasureNotices(dataDir).catch(() => 0))
      // One DuckDB thread: the collector's own work keeps a core while a day is rewritten.
      .then(() =>
        compactDays({
          dataDir,
          threads: 1,
          ...(cartWindowMs ? { cartWindowMs } : {}),
          ...(keepFreeBytes ? { keepFreeBytes } : {}),
          signal: stopping.signal,
        }),
      )
      .then((done) => {
        if (done.compacted.length || done.dropped.length)
          log.info('compacted days', {
            days: done.compacted.map((d) => d.day).join(','),
            dropped: done.dropped.length,
            ms: Date.now() - started,
          })
      })
      .catch((error: Error) => {
        if (stopping.signal.aborted) log.info('compaction stopped; the next start compacts the rest')
        else log.warn('compaction failed; the report reads the NDJSON files', { error: error.message })
      })
      .finally(() => {
        running = undefined
      })
  }
  const timer = setInterval(run, everyMs)
  // The collector's exit waits for requests and files, not for the next compaction.
  timer.unref()
  let stopped = false
  const upgraded = daysCompactedByOlderVersion(dataDir)
    .then((days) => {
      if (!days.length || stopped) return
      log.info('compacting days written by an older version', { days: days.length })
      run()
    })
    .catch(() => {})
  return {
    async stop() {
      stopped = true
      clearInterval(timer)
      // Rewriting a busy day takes half a minute: a supervisor kills a collector that waits for it (docker stop
      // after 10 s), which then leaves the day's copy on the disk. Stopped, the run removes what it wrote.
      stopping.abort(new Error('the collector is stopping'))
      await upgraded
      await running
    },
  }
}

/** The retention of `spoor serve --keep`: the days older than `keepMs`, logged when there were any. */
async function eraseExpired(dataDir: string, keepMs: number | undefined, log: Logger): Promise<void> {
  if (keepMs === undefined) return
  const before = firstDayWithin(keepMs)
  try {
    const erased = await eraseDaysBefore(dataDir, before)
    if (erased.days.length)
      log.info('erased days past the retention', { before, days: erased.days.length, files: erased.files })
  } catch (error) {
    // The compaction still runs: the next period tries the erasure again.
    log.warn('erasing the days past the retention failed', { before, error: (error as Error).message })
  }
}
