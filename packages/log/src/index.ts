export {
  type CoveredFile,
  cartsFolder,
  compactedFolder,
  type DayManifest,
  daysDecidingAfter,
  dropCompactedDay,
  manifestPath,
  readDayManifest,
  readDayManifests,
  visitsFolder,
} from './compacted/compacted-day.js'
export { DataDirBusyError } from './data-dir-lock.js'
export { type Disk, type DiskFile, nodeDisk } from './disk.js'
export { createDiskHealth, type DiskHealth, type DiskHealthOptions } from './disk-health.js'
export { eraseDaysBefore, type OldDaysReport } from './erase/erase-old-days.js'
export { type ErasureOptions, type ErasureReport, erasePerson } from './erase/erase-person.js'
export {
  erasureNoticeKeptMs,
  namedBy,
  readNewErasureNotices,
  removeOldErasureNotices,
  writeErasureNotice,
} from './erase/erasure-notice.js'
export type { ErasureTarget, Person } from './erase/person.js'
export type { Durability } from './log-file.js'
export { createLogger, type LogFields, type Logger, silentLogger } from './logger.js'
export { createMetrics, type Labels, type Metrics } from './metrics.js'
export { createNdjsonSink, type NdjsonSink, type NdjsonSinkOptions } from './ndjson-sink.js'
export { partitionOf } from './partition.js'
export { type DataFile, listDataFiles } from './published/published-files.js'
export { fileLines } from './published/read-lines.js'
export { type RecoveryReport, recoverOpenFiles } from './recover-open-files.js'
