import type { EventLine } from '@spoor/protocol'

/** The identifiers of one person: whatever a line names them by. */
export interface Person {
  userIds: Set<string>
  anonymousIds: Set<string>
  /** Lower-cased. */
  emails: Set<string>
}

/** Who an erasure request names. */
export type ErasureTarget = { userId: string } | { anonymousId: string } | { email: string }

/** A person with no identifier yet. */
export const emptyPerson = (): Person => ({ userIds: new Set(), anonymousIds: new Set(), emails: new Set() })

/** The person a request names, before their linked identifiers are found. */
export function personOf(target: ErasureTarget): Person {
  const person = emptyPerson()
  if ('userId' in target) person.userIds.add(target.userId)
  else if ('anonymousId' in target) person.anonymousIds.add(target.anonymousId)
  else person.emails.add(target.email.toLowerCase())
  return person
}

// Keys under which a line names a person, at any depth (traits, context.traits, properties, derived events).
const idKeys = new Set(['userId', 'user_id', 'anonymousId', 'anonymous_id', 'previousId', 'recipient_id', 'customer_id'])
const emailKeys = new Set(['email', 'recipient_email'])

/**
 * Whether a line is about the person: one of their ids under an identity key, or one of their emails anywhere
 * (an email is unmistakable wherever it appears: a trait, a survey answer, a derived cart event).
 */
export function mentions(value: unknown, person: Person, key?: string): boolean {
  if (typeof value === 'string') {
    if (person.emails.size && person.emails.has(value.trim().toLowerCase())) return true
    if (key && idKeys.has(key)) return person.userIds.has(value) || person.anonymousIds.has(value)
    if (key && emailKeys.has(key)) return person.emails.has(value.trim().toLowerCase())
    return false
  }
  if (Array.isArray(value)) return value.some((item) => mentions(item, person))
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) if (mentions(v, person, k)) return true
  }
  return false
}

/** Every email a line carries under an email key, lower-cased. */
function emailsIn(value: unknown, found: Set<string>, key?: string): Set<string> {
  if (typeof value === 'string' && key && emailKeys.has(key) && value.includes('@')) found.add(value.trim().toLowerCase())
  else if (Array.isArray(value)) for (const item of value) emailsIn(item, found)
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) emailsIn(v, found, k)
  return found
}

/**
 * Grows `person` with the identifiers a line links to them: a line naming their user id or email brings in its
 * anonymous id (the devices they used) and its emails; a line naming their email brings in its user id. An anonymous
 * id never brings in a user id, so one person's erasure does not spread to others who shared a device.
 *
 * @returns whether anything was added
 */
export function link(line: EventLine, person: Person): boolean {
  const before = person.userIds.size + person.anonymousIds.size + person.emails.size
  const emails = emailsIn(line, new Set())
  const byUser = line.userId !== null && person.userIds.has(line.userId)
  const byEmail = [...emails].some((email) => person.emails.has(email))
  if (byEmail && line.userId) person.userIds.add(line.userId)
  if (byUser || byEmail) {
    if (line.anonymousId) person.anonymousIds.add(line.anonymousId)
    for (const email of emails) person.emails.add(email)
  }
  return person.userIds.size + person.anonymousIds.size + person.emails.size > before
}

/**
 * Whether a line is the person's to erase. A line signed by another user (its `userId`) belongs to that user even
 * on a device the person shared, unless it carries the person's email.
 */
export function belongsTo(line: EventLine, person: Person): boolean {
  if (line.userId !== null && !person.userIds.has(line.userId)) {
    return mentions(line, { userIds: new Set(), anonymousIds: new Set(), emails: person.emails })
  }
  return mentions(line, person)
}
