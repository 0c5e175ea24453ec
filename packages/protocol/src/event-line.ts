import type { Context, EventType, JsonObject } from './envelope.js'

/**
 * One line of the collector's NDJSON files: the envelope with every field present on every line (null or `{}`
 * when the sender left it out), so that a loader sees the same field with the same type on every line.
 */
export interface EventLine {
  messageId: string
  type: EventType
  event: string | null
  name: string | null
  category: string | null
  userId: string | null
  anonymousId: string | null
  groupId: string | null
  previousId: string | null
  properties: JsonObject
  traits: JsonObject
  context: Context
  /** The client's clock at the call, as sent. */
  originalTimestamp: string | null
  /** The client's clock at send, as sent. */
  sentAt: string | null
  /** The collector's clock at arrival. */
  receivedAt: string
  /** When the event happened, on the collector's clock: `receivedAt − (sentAt − originalTimestamp)`. */
  timestamp: string
  /** The site the event belongs to. */
  writeKey: string
}

/** One line of `rejected/`: an event that failed validation, kept with the reason. */
export interface RejectedLine {
  receivedAt: string
  writeKey: string | null
  /** Its position in the request's batch. */
  index: number
  reason: string
  /** The event as received, serialized and cut to a few kilobytes. */
  raw: string
}
