import { createHash } from 'node:crypto'

/** How many partitions the events subjects have: at most this many cart workers share the work. */
export const partitions = 16

/** The stream's name on the JetStream servers. */
export const streamName = 'SPOOR'

/**
 * A write key as one subject token: letters, digits, `-` and `_` stay, every other byte becomes `%HH`, so that no
 * key can add a token (`.`), match others (`*`, `>`) or break the protocol (spaces), and two keys never meet.
 */
export function siteToken(writeKey: string): string {
  let token = ''
  for (const byte of Buffer.from(writeKey, 'utf8')) {
    const char = String.fromCharCode(byte)
    token += /[A-Za-z0-9_-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return token
}

/** The partition of a visitor (`anonymousId ?? userId`): one visitor's events are in order on one partition. */
export function partitionOf(visitor: string | null | undefined): number {
  return (
    createHash('sha1')
      .update(visitor ?? '')
      .digest()
      .readUInt32BE(0) % partitions
  )
}

/** `spoor.events.<site>.<partition>`: where a kept event goes. */
export const eventSubject = (writeKey: string, visitor: string | null | undefined) =>
  `spoor.events.${siteToken(writeKey)}.${partitionOf(visitor)}`

/** `spoor.rejected.<site>`: where a refused event goes with its reason (`_` for a request without a key). */
export const rejectedSubject = (writeKey: string | null) =>
  `spoor.rejected.${writeKey === null ? '_' : siteToken(writeKey)}`

/** The `Nats-Msg-Id` of an event, `<site>:<messageId>`: the stream keeps one copy per id within its window. */
export const messageKey = (writeKey: string, messageId: string) => `${siteToken(writeKey)}:${messageId}`

/** The subject filter of one partition, all sites. */
export const partitionFilter = (partition: number) => `spoor.events.*.${partition}`
