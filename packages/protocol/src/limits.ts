/**
 * Size limits of the Segment HTTP API, shared by the SDK (which batches under them) and the collector (which
 * enforces them). Over a limit the collector answers 400/413 for a whole batch, or rejects the one event.
 */
export const limits = {
  /** Largest serialized event, in bytes (Segment: 32 KB). */
  eventBytes: 32 * 1024,
  /** Largest request body, in bytes (Segment: 500 KB). */
  batchBytes: 500 * 1024,
  /** Most events in one batch (Segment: 2,500). */
  batchEvents: 2500,
  /** Longest `messageId` (Segment: 100 characters). */
  messageIdLength: 100,
  /** Longest event name, so that a name stays a name and not a payload. */
  eventNameLength: 200,
  /**
   * Longest a client may say an event waited before it was sent (`sentAt − originalTimestamp`), in ms: 30 days,
   * well past the SDK queue's 7-day life. The skew-corrected `timestamp` is clamped to this much before receipt
   * and never after it, so that a wrong or hostile clock cannot move an event out of its month.
   */
  clientDelayMs: 30 * 24 * 3600 * 1000,
  /**
   * Most a bare `timestamp` (no `originalTimestamp` and `sentAt` to correct it by) may lie after the event's
   * arrival, in ms: a day, for a server whose clock runs ahead (a wrong time zone is hours); one later than that is
   * moved back to the arrival, so that no clock can put an event into another century.
   */
  clockAheadMs: 24 * 3600 * 1000,
  /**
   * Most cells in a `Heatmap` event's grid (`grid_columns × grid_rows`). Its `moves` holds one count per cell, so a
   * grid past this could not be carried within `eventBytes` anyway; a claimed grid is what a report allocates.
   */
  heatmapCells: 16_384,
  /**
   * Bytes a request may have written, as a multiple of its body: the batch's `context` is copied into each of its
   * events' lines, and `rejected/` keeps a copy of each refused event. (The fixed fields the collector adds to each
   * line it keeps, under 512 bytes, come on top.)
   */
  writeAmplification: 4,
  /**
   * Longest request agent copied into a line (`context.userAgent`), in characters: a browser's is a few hundred, and
   * a longer header copied into each event of a batch would make a small request write megabytes.
   */
  userAgentChars: 512,
} as const
