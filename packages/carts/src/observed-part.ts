import { type Context, claimsCollectorLibrary, type EventLine } from '@spoor/protocol'
import { cartEvents, emailOf, orderEvent } from './cart-snapshot.js'
import { derivedEvents } from './derived-lines.js'

/**
 * The part of a line the cart detector reads, as a line of its own: who and when (ids, site, type, event, times),
 * of `context` the bot flag, the campaign and the library where it names the collector (its own decisions), the
 * email wherever the line carried it (as `traits.email`, where {@link emailOf} looks first), and the whole
 * `properties` only of the events whose properties it reads (cart events, orders, its own decisions). The detector
 * decides from it exactly as from the whole line.
 *
 * The collector's detector observes a request's lines once they are on disk, after the durable write, tens of
 * milliseconds under load: holding the whole parsed request that long, for every request in flight, made each
 * young-generation collection copy it (at 256 connections, a fifth of the collector's time went to collection).
 */
export function observedPart(line: EventLine): EventLine {
  const { context, event } = line
  const email = emailOf(line)
  const part: Context = {}
  if (context?.bot !== undefined) part.bot = context.bot
  if (context?.campaign !== undefined) part.campaign = context.campaign
  if (claimsCollectorLibrary(context)) part.library = context.library
  return {
    messageId: line.messageId,
    type: line.type,
    event,
    name: null,
    category: null,
    userId: line.userId,
    anonymousId: line.anonymousId,
    groupId: null,
    previousId: line.previousId,
    properties:
      event !== null && (cartEvents.has(event) || event === orderEvent || derivedEvents.has(event))
        ? line.properties
        : {},
    traits: email === null ? {} : { email },
    context: part,
    originalTimestamp: null,
    sentAt: null,
    receivedAt: line.receivedAt,
    timestamp: line.timestamp,
    writeKey: line.writeKey,
  }
}
