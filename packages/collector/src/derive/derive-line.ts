import type { EventLine } from '@spoor/protocol'
import type { Arrival } from '../steps/to-event-line.js'
import { deriveClickFacts } from './click-facts.js'
import { localeOf, userAgentDataOf } from './client-hints.js'
import { type DerivedRoom, unboundedRoom } from './derived-room.js'
import { derivePageFacts } from './page-facts.js'
import { createVisits, type VisitOptions } from './visits.js'

/**
 * Fills in, in place, what the collector derives of a line from facts the browser sent, its copies within the
 * request's `room` (see `derived-room.ts`; without one, unbounded).
 */
export type DeriveLine = (line: EventLine, arrival: Arrival, room?: DerivedRoom) => void

/**
 * What the browser used to compute and the collector now derives, at no cost to the page and alike for the
 * snippet's, the pixel's and backends' events: visits, campaigns, the time zone and rage clicks (`visits.ts`),
 * `context.userAgentData` and `context.locale` from the request's client hints and languages (`client-hints.ts`)
 * when the event has none, the
 * request's agent and a page event's page fields (`page-facts.ts`), a click's `outbound` and `download`
 * (`click-facts.ts`). One
 * collector's memory of visitors: make one per app.
 */
export function createDeriveLine(options?: VisitOptions): DeriveLine {
  const deriveVisit = createVisits(options)
  return (line, arrival, room = unboundedRoom()) => {
    const hints = arrival.clientHints
    if (hints && line.context.userAgentData === undefined) {
      const data = userAgentDataOf(hints)
      if (data) line.context.userAgentData = data
    }
    if (hints && line.context.locale === undefined) {
      const locale = localeOf(hints)
      if (locale) line.context.locale = locale
    }
    derivePageFacts(line, arrival, room)
    deriveClickFacts(line)
    deriveVisit(line, room)
  }
}
