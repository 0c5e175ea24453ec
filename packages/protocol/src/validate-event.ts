import { claimsCollectorLibrary, collectorLibraryReason } from './collector-library.js'
import { daysInMonth } from './days-in-month.js'
import { type Envelope, type EventType, eventTypes } from './envelope.js'
import { limits } from './limits.js'
import { utf8Length } from './utf8-length.js'

export type EventVerdict = { ok: true; event: Envelope } | { ok: false; reason: string }

/** The number of two digits at `at`, or -1. */
function twoDigits(text: string, at: number): number {
  const high = text.charCodeAt(at) - 48
  const low = text.charCodeAt(at + 1) - 48
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -1
}

/**
 * Whether a timestamp is an ISO-8601 date and time with an offset, as Segment libraries send it
 * (`Date#toISOString()` and the like: `YYYY-MM-DDTHH:MM[:SS[.fraction of 1 to 9 digits]]` then `Z` or `±HH[:]MM`),
 * and names a real instant: `Date.parse` rolls `2026-02-30` over to March 2, so each part is checked against the
 * calendar and the clock instead. Read character by character: every event carries one or more, and a regular
 * expression's match array and parts cost more than the check.
 */
export function isRealTimestamp(value: string): boolean {
  const length = value.length
  if (length < 17 || value[4] !== '-' || value[7] !== '-' || value[10] !== 'T' || value[13] !== ':') return false
  const century = twoDigits(value, 0)
  const yearInCentury = twoDigits(value, 2)
  const month = twoDigits(value, 5)
  const day = twoDigits(value, 8)
  const hour = twoDigits(value, 11)
  const minute = twoDigits(value, 14)
  if (
    century < 0 ||
    yearInCentury < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59
  )
    return false
  let at = 16
  if (value[at] === ':') {
    const second = twoDigits(value, 17)
    if (second < 0 || second > 59) return false
    at = 19
    if (value[at] === '.') {
      const first = ++at
      while (at < length && value.charCodeAt(at) >= 48 && value.charCodeAt(at) <= 57) at++
      if (at === first || at - first > 9) return false
    }
  }
  if (value[at] === 'Z') at++
  else if (value[at] === '+' || value[at] === '-') {
    const offsetHours = twoDigits(value, at + 1)
    at += value[at + 3] === ':' ? 4 : 3
    const offsetMinutes = twoDigits(value, at)
    if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) return false
    at += 2
  } else return false
  if (at !== length) return false
  return (day <= 28 || day <= daysInMonth(century * 100 + yearInCentury, month)) && !Number.isNaN(Date.parse(value))
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

/** A timestamp field, absent or a real instant (see {@link isRealTimestamp}); otherwise the reason it is refused. */
export function readTimestamp(value: unknown, field: string): string | undefined | { reason: string } {
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
  if (moves !== undefined && (!Array.isArray(moves) || moves.length > cells))
    return 'Heatmap moves must be a list of at most grid_columns × grid_rows counts'
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
    if (value.length > limits.eventNameLength)
      return fail(`${field} is longer than ${limits.eventNameLength} characters`)
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
  if (claimsCollectorLibrary(event.context)) return fail(collectorLibraryReason)

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
