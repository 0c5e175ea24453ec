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
} as const
