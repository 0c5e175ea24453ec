import type { EventLine } from '@spoor/protocol'

/** The moment the detector tests' minutes count from. */
export const t0 = Date.parse('2026-03-02T10:00:00.000Z')
export const at = (minutes: number) => new Date(t0 + minutes * 60_000)
let sequence = 0

/** An event line as the collector writes it, at `minutes` after {@link t0} (a new messageId unless given). */
export function line(minutes: number, fields: Partial<EventLine>): EventLine {
  const time = at(minutes).toISOString()
  return {
    messageId: `m${++sequence}`,
    type: 'track',
    event: null,
    name: null,
    category: null,
    userId: null,
    anonymousId: 'anon-1',
    groupId: null,
    previousId: null,
    properties: {},
    traits: {},
    context: {},
    originalTimestamp: time,
    sentAt: time,
    receivedAt: time,
    timestamp: time,
    writeKey: 'shop',
    ...fields,
  }
}
