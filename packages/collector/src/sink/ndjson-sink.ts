import { join } from 'node:path'
import type { EventSink } from './event-sink.js'
import type { Durability } from './log-file.js'
import { createPartitionedLog } from './partitioned-log.js'

export interface NdjsonSinkOptions {
  /** The data folder: events go to `events/`, refused events to `rejected/`. */
  dataDir: string
  /** `fsync` (default): 2xx only once the lines are on disk. `write`: once handed to the OS. */
  durability?: Durability
  maxFileBytes?: number
  maxFileAgeMs?: number
  now?: () => Date
}

const toText = (lines: object[]) => lines.map((line) => JSON.stringify(line)).join('\n') + '\n'

/**
 * The NDJSON sink: one event per line under `DATA/events/dt=…/hour=…/`, refused events with their reason under
 * `DATA/rejected/…`, files published by atomic rename.
 */
export function createNdjsonSink(options: NdjsonSinkOptions): EventSink {
  const shared = { ...options, durability: options.durability ?? 'fsync' }
  const events = createPartitionedLog({ ...shared, root: join(options.dataDir, 'events') })
  const rejected = createPartitionedLog({ ...shared, root: join(options.dataDir, 'rejected') })
  return {
    write: async (lines, receivedAt) => {
      if (lines.length) await events.append(receivedAt, toText(lines))
    },
    reject: async (lines, receivedAt) => {
      if (lines.length) await rejected.append(receivedAt, toText(lines))
    },
    close: async () => {
      await Promise.all([events.close(), rejected.close()])
    },
  }
}
