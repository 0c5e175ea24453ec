import { type Logger, namedBy, readNewErasureNotices, silentLogger } from '@spoor/log'
import type { EventLine, EventSink } from '@spoor/protocol'
import type { CartLimits } from './cart-budget.js'
import { type CartDetector, createCartDetector } from './cart-detector.js'
import { replayFiles } from './feed-detector.js'
import { observedPart } from './observed-part.js'

/** Options of {@link withCartDetector}. */
export interface CartWatchOptions {
  /** The data folder the sink writes to; its published files rebuild the detector's state on start. */
  dataDir: string
  /** Inactivity window in ms (default 60 minutes). */
  windowMs?: number
  /** How long an abandoned cart can still be recovered by an order, in ms (default 24 h). */
  recoverWithinMs?: number
  /** How often due carts are checked, in ms (default: a quarter of the window, between 250 ms and 15 s). */
  tickMs?: number
  now?: () => Date
  log?: Logger
  /** What the detector holds per site (default: the detector's, 100,000 carts; the collector passes its room). */
  limits?: CartLimits
}

/** An {@link EventSink} that also detects abandoned carts; `ready` settles once its state is rebuilt. */
export interface CartWatchingSink extends EventSink {
  ready: Promise<void>
  detector: CartDetector
}

/**
 * Wraps an event sink with the abandoned-cart detector: every batch the sink has kept is shown to the detector,
 * and the `Cart Abandoned` / `Cart Recovered` events it decides are written into the same sink, within a tick of
 * the window closing, whether or not the visitor ever comes back. On start it rebuilds its state from the published
 * files, so a restart neither forgets open carts nor writes a decision twice (derived `messageId`s are stable).
 *
 * @example
 * const sink = withCartDetector(createNdjsonSink({ dataDir }), { dataDir, windowMs: 90_000 })
 * const app = createApp({ config, sink })
 */
export function withCartDetector(sink: EventSink, options: CartWatchOptions): CartWatchingSink {
  const windowMs = options.windowMs ?? 60 * 60_000
  const recoverWithinMs = options.recoverWithinMs ?? 24 * 60 * 60_000
  const now = options.now ?? (() => new Date())
  const log = options.log ?? silentLogger
  const detector = createCartDetector({
    windowMs,
    recoverWithinMs,
    ...(options.limits ? { limits: options.limits } : {}),
  })
  // Lines kept while the files are replayed wait here, then go to the detector in order.
  let backlog: EventLine[] | undefined = []
  let writing: Promise<void> | undefined
  let closed = false

  // Erasures made while running (spoor erase on this data folder) leave notices: their people are forgotten before
  // anything is decided, so no Cart Abandoned is written for someone erased. Those present at start were erased
  // from the files the state is rebuilt from.
  const erasures = new Set<string>()
  const forgetErased = async () => {
    const notices = await readNewErasureNotices(options.dataDir, erasures)
    if (notices.length) log.info('erasure: forgot carts', { carts: detector.forget(namedBy(notices)) })
  }
  const started = readNewErasureNotices(options.dataDir, erasures)

  // A site at its room gets no new cart: said in the log, at most once an hour, as well as in the metrics.
  let refusedBefore = 0
  let warnedAt = -Infinity
  const warnIfRefused = () => {
    const { refused } = detector.size()
    if (refused === refusedBefore || now().getTime() - warnedAt < 3_600_000) return
    log.warn('carts: a site is at its room; carts past it are not watched (raise --max-carts)', {
      refused: refused - refusedBefore,
      room: options.limits?.carts ?? 'default',
    })
    refusedBefore = refused
    warnedAt = now().getTime()
  }

  const tick = () =>
    (writing ??= (async () => {
      await forgetErased()
      warnIfRefused()
      const due = detector.due(now())
      if (due.length === 0) return
      try {
        await sink.write(due, now())
        for (const line of due) detector.observe(line)
        log.info('carts', {
          abandoned: due.filter((l) => l.event === 'Cart Abandoned').length,
          recovered: due.filter((l) => l.event === 'Cart Recovered').length,
        })
      } catch (error) {
        // Not observed as written: the next tick hands the same decisions out again, with the same ids.
        log.error('could not write derived cart events', { error: String(error) })
      }
    })().finally(() => (writing = undefined)))

  const ready = started
    .then(() =>
      replayFiles(detector, options.dataDir, { now: now(), windowMs, recoverWithinMs }).then((applied) =>
        log.info('cart detector ready', { replayed: applied }),
      ),
    )
    .catch((error) => log.error('cart detector could not read the published files', { error: String(error) }))
    .then(() => {
      for (const line of backlog ?? []) detector.observe(line)
      backlog = undefined
    })

  const timer = setInterval(
    () => {
      if (!backlog && !closed) void tick()
    },
    options.tickMs ?? Math.min(15_000, Math.max(250, windowMs / 4)),
  )
  timer.unref()

  return {
    // Whatever else the sink offers passes through untouched.
    ...sink,
    ready,
    detector,
    // The disk's health, seen through the detector: /readyz and the early 503 answer for the sink beneath.
    health: () => sink.health(),
    // Lines are observed once they are on disk, and only the part the detector reads waits for that (see
    // observed-part.ts). Not an async function: its suspended frame would hold the lines themselves.
    write(lines, receivedAt) {
      let written: Promise<void>
      let parts: EventLine[]
      try {
        parts = lines.map(observedPart)
        written = sink.write(lines, receivedAt)
      } catch (error) {
        return Promise.reject(error)
      }
      return written.then(() => {
        if (backlog) backlog.push(...parts)
        else for (const part of parts) detector.observe(part)
      })
    },
    async close() {
      closed = true
      clearInterval(timer)
      await ready
      await writing
      await tick()
      await sink.close()
    },
  }
}
