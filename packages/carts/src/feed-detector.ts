import { join } from 'node:path'
import { type DataFile, fileLines, listDataFiles } from '@spoor/log'
import type { EventLine } from '@spoor/protocol'
import type { CartDetector } from './cart-detector.js'
import { derivedEvents } from './derived-lines.js'
import type { DetectorCheckpoint } from './detector-checkpoint.js'

const hour = 3_600_000
// How a derived line starts in the files (JSON.stringify of an EventLine puts "event" after "type").
const derivedMarkers = [...derivedEvents].map((name) => `"event":${JSON.stringify(name)}`)

/** When the replay runs, and the rule it rebuilds state for. */
export interface ReplayOptions {
  now: Date
  windowMs: number
  recoverWithinMs: number
}

/**
 * Rebuilds a detector's state from the published files after a start: every line of the hours that can still hold
 * open carts (the window before the newest file), and the derived lines of the recovery horizon before that, so an
 * order can still recover a cart abandoned before the restart and nothing already written is decided again.
 *
 * @returns the number of lines applied
 */
export async function replayFiles(detector: CartDetector, dataDir: string, options: ReplayOptions): Promise<number> {
  const now = options.now.getTime()
  const files = await listDataFiles(join(dataDir, 'events'), {
    from: new Date(now - options.recoverWithinMs - options.windowMs - hour),
  })
  const newest = files.at(-1)?.hour.getTime() ?? now
  // The window before the last data, not before now: a collector that was down for hours still finds the carts
  // its visitors left open just before it stopped.
  const fullFrom = Math.min(now, newest + hour) - options.windowMs - hour
  let applied = 0
  for (const file of files) {
    const whole = file.hour.getTime() + hour > fullFrom
    for await (const text of fileLines(file.path)) {
      if (!whole && !derivedMarkers.some((marker) => text.includes(marker))) continue
      const line = parse(text)
      if (!line) continue
      detector.observe(line)
      applied++
    }
  }
  return applied
}

const parse = (text: string): EventLine | undefined => {
  try {
    return JSON.parse(text) as EventLine
  } catch {
    return undefined
  }
}

/** What a batch run decides over. */
export interface BatchOptions {
  /** The end of the run: carts whose window has closed by then are abandoned. */
  now: Date
  /** Only this site's events (its write key). */
  writeKey?: string
  files?: DataFile[]
  /**
   * Receives what the detector holds after the last line, before the clock moves to `now`: a later run resumed from
   * it (`resumeFrom`) over the lines that arrive after these decides what this run, had it gone on, would have.
   */
  onCheckpoint?: (saved: DetectorCheckpoint) => void
}

/**
 * Runs a detector over published files as the live one runs over arrivals: lines in the order they were written,
 * the clock following their arrival times (`receivedAt`), then `now`. Derived lines already in the files are not
 * input: the run decides everything itself, and names each decision with the same `messageId` as the live detector.
 *
 * @returns the derived events (`Cart Abandoned`, `Cart Recovered`) in the order they were decided
 */
export async function detectInFiles(
  detector: CartDetector,
  dataDir: string,
  options: BatchOptions,
): Promise<EventLine[]> {
  const files = options.files ?? (await listDataFiles(join(dataDir, 'events'), { to: options.now }))
  const decided: EventLine[] = []
  let clock = -Infinity
  const advance = (at: Date) => {
    for (const line of detector.due(at)) {
      decided.push(line)
      detector.observe(line)
    }
  }
  for (const file of files) {
    for await (const text of fileLines(file.path)) {
      const line = parse(text)
      if (!line || (line.event && derivedEvents.has(line.event))) continue
      if (options.writeKey && line.writeKey !== options.writeKey) continue
      const received = Date.parse(line.receivedAt)
      // As of `now`: nothing that arrived, or happened, after it.
      if (received > options.now.getTime() || Date.parse(line.timestamp) > options.now.getTime()) continue
      if (received > clock) {
        clock = received
        advance(new Date(received))
      }
      detector.observe(line)
    }
  }
  options.onCheckpoint?.(detector.checkpoint())
  advance(options.now)
  return decided
}
