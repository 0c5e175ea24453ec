import { eventTypes, type Envelope, type EventType } from './envelope.js'
import { limits } from './limits.js'
import { utf8Length } from './utf8-length.js'

export type EventVerdict = { ok: true; event: Envelope } | { ok: false; reason: string }

// ISO-8601 date and time with an offset, as Segment libraries send it (`Date#toISOString()` and the like).
const isoTimestamp = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()

/**
 * Whether a timestamp of the form above names a real instant: `Date.parse` rolls `2026-02-30` over to March 2, so
 * each part is checked against the calendar and the clock instead.
 */
function isRealTimestamp(value: string): boolean {
  const parts = isoTimestamp.exec(value)
  if (!parts) return false
  const [year, month, day, hour, minute, second = 0, offsetHours = 0, offsetMinutes = 0] = parts.slice(1).map((part) => (part === undefined ? undefined : Number(part)))
  return (
    month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysIn(year!, month!) && hour! <= 23 && minute! <= 59 &&
    second <= 59 && offsetHours <= 23 && offsetMinutes <= 59 && !Number.isNaN(Date.parse(value))
  )
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** An id may be a non-empty string or a finite number (some server libraries send numbers); it becomes a string. */
function readId(value: unknown, field: string): string | undefined | { reason: string } {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value === 'string') {
    if (value.length === 0) return undefined
    if (value.length > 1024) return { reason: `${field} is longer than 1024 characters` }
    return value
  }
  return { reason: `${field} must be a string` }
}

function readTimestamp(value: unknown, field: string): string | undefined | { reason: string } {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || !isRealTimestamp(value)) {
    return { reason: `${field} must be a real ISO-8601 date and time with a time zone, like 2026-11-23T15:04:05.000Z` }
  }
  return value
}

/** Why a `Heatmap` event's grid is refused, if it is: its size is what a report would allocate. */
function heatmapGridProblem(properties: Record<string, unknown>): string | undefined {
  const { grid_columns: columns, grid_rows: rows, moves } = properties
  if (columns === undefined && rows === undefined) return undefined
  if (!Number.isInteger(columns) || !Number.isInteger(rows) || (columns as number) < 1 || (rows as number) < 1) {
    return 'Heatmap grid_columns and grid_rows must be whole numbers from 1'
  }
  const cells = (columns as number) * (rows as number)
  if (cells > limits.heatmapCells) return `Heatmap grid is ${cells} cells, over the limit of ${limits.heatmapCells}`
  if (moves !== undefined && (!Array.isArray(moves) || moves.length > cells)) return 'Heatmap moves must be a list of at most grid_columns × grid_rows counts'
  return undefined
}

/**
 * Checks one event of a request against the Segment spec and returns it normalized, or the reason it was refused.
 *
 * @param raw - the event as parsed from JSON
 * @param routeType - the type implied by the route (`/v1/track` → `track`); wins over the body's `type`
 * @param serializedBytes - its size when the caller already knows it; measured otherwise
 * @example
 * validateEvent({ type: 'track', event: 'Signed Up', anonymousId: 'a1' })
 * // → { ok: true, event: { type: 'track', event: 'Signed Up', anonymousId: 'a1' } }
 */
export function validateEvent(raw: unknown, routeType?: EventType, serializedBytes?: number): EventVerdict {
  if (!isObject(raw)) return { ok: false, reason: 'event must be a JSON object' }

  const bytes = serializedBytes ?? utf8Length(JSON.stringify(raw))
  if (bytes > limits.eventBytes) {
    return { ok: false, reason: `event is ${bytes} bytes, over the limit of ${limits.eventBytes}` }
  }

  const type = routeType ?? raw.type
  if (typeof type !== 'string' || !eventTypes.includes(type as EventType)) {
    return { ok: false, reason: `type must be one of ${eventTypes.join(', ')}` }
  }

  const event: Envelope = { type: type as EventType }
  const fail = (reason: string): EventVerdict => ({ ok: false, reason })

  for (const field of ['userId', 'anonymousId', 'groupId', 'previousId'] as const) {
    const id = readId(raw[field], field)
    if (typeof id === 'object') return fail(id.reason)
    if (id !== undefined) event[field] = id
  }
  if (event.userId === undefined && event.anonymousId === undefined) {
    return fail('anonymousId or userId is required')
  }

  if (raw.messageId !== undefined && raw.messageId !== null) {
    if (typeof raw.messageId !== 'string' || raw.messageId.length === 0) return fail('messageId must be a string')
    if (raw.messageId.length > limits.messageIdLength) {
      return fail(`messageId is longer than ${limits.messageIdLength} characters`)
    }
    event.messageId = raw.messageId
  }

  for (const field of ['event', 'name', 'category'] as const) {
    const value = raw[field]
    if (value === undefined || value === null) continue
    if (typeof value !== 'string') return fail(`${field} must be a string`)
    if (value.length > limits.eventNameLength) return fail(`${field} is longer than ${limits.eventNameLength} characters`)
    if (value.length > 0) event[field] = value
  }

  if (type === 'track' && event.event === undefined) return fail('track needs an event name in "event"')
  if (type === 'group' && event.groupId === undefined) return fail('group needs a groupId')
  if (type === 'alias' && (event.previousId === undefined || event.userId === undefined)) {
    return fail('alias needs previousId and userId')
  }

  for (const field of ['properties', 'traits', 'context'] as const) {
    const value = raw[field]
    if (value === undefined || value === null) continue
    if (!isObject(value)) return fail(`${field} must be a JSON object`)
    event[field] = value
  }

  if (event.event === 'Heatmap') {
    const grid = heatmapGridProblem(event.properties ?? {})
    if (grid) return fail(grid)
  }

  for (const field of ['originalTimestamp', 'sentAt', 'timestamp'] as const) {
    const value = readTimestamp(raw[field], field)
    if (typeof value === 'object') return fail(value.reason)
    if (value !== undefined) event[field] = value
  }

  return { ok: true, event }
}
