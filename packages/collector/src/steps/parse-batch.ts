import {
  type Context,
  claimsCollectorLibrary,
  collectorLibraryReason,
  type EventType,
  limits,
  readTimestamp,
} from '@spoor/protocol'
import { parseJson } from './parse-json.js'
import { RequestError } from './request-error.js'

/** A request body taken apart: its events, and what the batch says for all of them. */
export interface ParsedBatch {
  events: unknown[]
  writeKey?: string
  sentAt?: string
  context?: Context
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Parses the body of `POST /v1/batch` (`{"batch": […]}`) or of a single-event route (`/v1/track`: the event
 * itself). A body that is not JSON, nests too deep, or is not of that shape is refused whole (400); events are judged
 * one by one later. So is a batch whose shared `context` names the collector's own library: it would stand under
 * every event that names none, as if the collector had derived them, and one whose `sentAt` is not a real time: each
 * event without its own would be timed by it.
 */
export function parseBatch(text: string, routeType: EventType | 'batch'): ParsedBatch {
  const body = parseJson(text)
  if (!isObject(body)) throw new RequestError(400, 'body must be a JSON object')
  const writeKey = typeof body.writeKey === 'string' ? body.writeKey : undefined
  if (routeType !== 'batch') {
    const { writeKey: _key, ...event } = body
    return { events: [event], writeKey }
  }
  if (!Array.isArray(body.batch)) throw new RequestError(400, 'body must be {"batch": [events…]}')
  if (body.batch.length > limits.batchEvents) {
    throw new RequestError(400, `batch holds ${body.batch.length} events, over the limit of ${limits.batchEvents}`)
  }
  if (claimsCollectorLibrary(body.context)) throw new RequestError(400, `batch ${collectorLibraryReason}`)
  const sentAt = readTimestamp(body.sentAt, 'batch sentAt')
  if (typeof sentAt === 'object') throw new RequestError(400, sentAt.reason)
  return {
    events: body.batch,
    writeKey,
    sentAt,
    context: isObject(body.context) ? (body.context as Context) : undefined,
  }
}
