import { collectorLibrary, type EventLine, type JsonObject, version } from '@spoor/protocol'

/** The names of the events the collector derives itself; they are never activity of a visitor. */
export const derivedEvents = new Set(['Cart Abandoned', 'Cart Recovered'])

/** Who a derived event is about, and what it says. */
export interface DerivedFields {
  messageId: string
  event: 'Cart Abandoned' | 'Cart Recovered'
  writeKey: string
  userId: string | null
  anonymousId: string | null
  properties: JsonObject
  campaign: JsonObject | null
  /** When it happened: the window's close for an abandonment, the order's time for a recovery. */
  timestamp: string
}

/**
 * A derived event as an NDJSON line like any other (every field present). `context.library` names the collector,
 * which is how a query tells derived events from those a browser sent.
 */
export function derivedLine(fields: DerivedFields, receivedAt: string): EventLine {
  const context: EventLine['context'] = { library: { name: collectorLibrary, version } }
  if (fields.campaign) context.campaign = fields.campaign
  return {
    messageId: fields.messageId,
    type: 'track',
    event: fields.event,
    name: null,
    category: null,
    userId: fields.userId,
    anonymousId: fields.anonymousId,
    groupId: null,
    previousId: null,
    properties: fields.properties,
    traits: {},
    context,
    originalTimestamp: null,
    sentAt: null,
    receivedAt,
    timestamp: fields.timestamp,
    writeKey: fields.writeKey,
  }
}
