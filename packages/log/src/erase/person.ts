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
const idKeys = new Set([
  'userId',
  'user_id',
  'anonymousId',
  'anonymous_id',
  'previousId',
  'recipient_id',
  'customer_id',
])

// An email inside a longer text, as page URLs and Referers carry it: ada%40example.com, ada@example.com&next=…
const decoded = (text: string) => text.toLowerCase().replace(/%40/g, '@').replace(/%2e/g, '.')
const containsEmail = (text: string, emails: Set<string>) => {
  if (!emails.size || !/@|%40/i.test(text)) return false
  const plain = decoded(text)
  for (const email of emails) if (plain.includes(email)) return true
  return false
}

/**
 * Whether a line is about the person: one of their ids under an identity key, or one of their emails anywhere,
 * even inside a longer text such as a page URL or a Referer (an email is unmistakable wherever it appears: a trait,
 * a survey answer, a derived cart event, a link the person followed).
 */
export function mentions(value: unknown, person: Person, key?: string): boolean {
  if (typeof value === 'string') {
    if (containsEmail(value, person.emails)) return true
    if (key && idKeys.has(key)) return person.userIds.has(value) || person.anonymousIds.has(value)
    return false
  }
  if (typeof value === 'number' && key && idKeys.has(key))
    return person.userIds.has(String(value)) || person.anonymousIds.has(String(value))
  if (Array.isArray(value)) return value.some((item) => mentions(item, person))
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) if (mentions(v, person, k)) return true
  }
  return false
}

const emailOf = (traits: unknown): string | undefined => {
  const email = (traits as { email?: unknown } | undefined)?.email
  return typeof email === 'string' && email.includes('@') ? email.trim().toLowerCase() : undefined
}

/**
 * The emails a line says are its user's own: the traits of an identify, and the traits a library puts in
 * `context.traits`. An email elsewhere (a property of a track or of a pixel, a survey answer) is content: anyone can
 * write one next to anyone's id, so it never ties that id to the email.
 */
export function declaredEmails(line: EventLine): string[] {
  return [emailOf(line.traits), emailOf(line.context?.traits)].filter((email): email is string => email !== undefined)
}

/**
 * Grows `person` with the identifiers a line links to them: a line signed with their user id brings in its
 * anonymous id (the devices they used) and the emails it declares; a line declaring their email brings in its user
 * id and anonymous id. An anonymous id never brings in a user id, so one person's erasure does not spread to others
 * who shared a device.
 *
 * @returns whether anything was added
 */
export function link(line: EventLine, person: Person): boolean {
  const before = person.userIds.size + person.anonymousIds.size + person.emails.size
  const emails = declaredEmails(line)
  const byUser = line.userId !== null && person.userIds.has(line.userId)
  const byEmail = emails.some((email) => person.emails.has(email))
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
