import type { Logger } from '@spoor/log'
import { compactDays, daysCompactedByOlderVersion } from '@spoor/report'

/** A compaction that runs every so often beside the collector; `stop` waits for a run in progress. */
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
 */
export function compactInBackground(
  dataDir: string,
  everyMs: number,
  log: Logger,
  cartWindowMs?: number,
): BackgroundCompaction {
  let running: Promise<void> | undefined
  const run = () => {
    if (running) return
    const started = Date.now()
    // One DuckDB thread: the collector's own work keeps a core while a day is rewritten.
    running = compactDays({ dataDir, threads: 1, ...(cartWindowMs ? { cartWindowMs } : {}) })
      .then((done) => {
        if (done.compacted.length || done.dropped.length)
          log.info('compacted days', {
            days: done.compacted.map((d) => d.day).join(','),
            dropped: done.dropped.length,
            ms: Date.now() - started,
          })
      })
      .catch((error: Error) =>
        log.warn('compaction failed; the report reads the NDJSON files', { error: error.message }),
      )
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
      await upgraded
      await running
    },
  }
}
