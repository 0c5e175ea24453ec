import type { EventLine, RejectedLine } from './event-line.js'

/** Whether a sink takes writes now, and if not, why and when to try again. */
export interface SinkHealth {
  ready: boolean
  /** Why not, in words an operator can act on. */
  reason?: string
  /** Seconds a sender should wait before retrying (the `Retry-After` of a 503). */
  retryAfter: number
  /** Free bytes on the data folder's file system at the last check (`Infinity` when the sink has no disk). */
  freeBytes: number
  /** Still recovering what a crash left: writes wait for it rather than fail, but the sink is not ready. */
  starting?: boolean
}

/**
 * Where accepted and rejected events go. Each promise resolves only once the lines are kept; a sink that cannot
 * take them now rejects with {@link SinkUnavailableError}. A decorator (the cart detector) passes `health` through.
 */
export interface EventSink {
  write(lines: EventLine[], receivedAt: Date): Promise<void>
  reject(lines: RejectedLine[], receivedAt: Date): Promise<void>
  /** Publishes what is open; the sink takes no more writes. */
  close(): Promise<void>
  /** Whether writes may go ahead now: `/readyz`, and a 503 before a request's body is read. */
  health(): SinkHealth
}

/** The sink could not take events now: answered 503 with `Retry-After`, nothing was written. */
export class SinkUnavailableError extends Error {
  override name = 'SinkUnavailableError'
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message)
  }
}
