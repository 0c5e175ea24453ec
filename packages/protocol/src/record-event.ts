/** An event a route makes itself from a request (an email open or click), with what it knows of that request. */
export interface MadeEvent {
  /** The site's write key, as the request named it. */
  writeKey: string
  /** The event, in the Segment shape, validated like any other. */
  event: Record<string, unknown>
  /** The client's address, masked before anything is written. */
  ip: string | undefined
  userAgent: string | undefined
  /** The request carried `Sec-GPC: 1`: the site's GPC policy applies. */
  gpc: boolean
  /** The request's path, for the log line of an unknown key. */
  path: string
}

/** What became of a made event: written, or why not (nothing was written then). */
export type MadeEventOutcome = 'written' | 'unknown key' | 'rejected' | 'opted out'

/**
 * Hands a made event to the collector's intake (validation, IP masking, enrichment, the durable write). Resolves
 * once the event is written, or with the reason it was not; rejects when the write failed.
 */
export type RecordEvent = (made: MadeEvent) => Promise<MadeEventOutcome>

/**
 * Starts recording without waiting for it, holding `bytes` of the collector's in-flight budget until it settles;
 * `onFailure` counts it when the budget is spent or the write fails.
 */
export type RecordInBackground = (bytes: number, record: () => Promise<unknown>, onFailure: () => void) => void
