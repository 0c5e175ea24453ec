import type { EventLine } from '@spoor/protocol'
import type { Arrival } from '../steps/to-event-line.js'
import { userAgentDataOf } from './client-hints.js'
import { createVisits, type VisitOptions } from './visits.js'

/** Fills in, in place, what the collector derives of a line from facts the browser sent. */
export type DeriveLine = (line: EventLine, arrival: Arrival) => void

/**
 * What the browser used to compute and the collector now derives, at no cost to the page and alike for the
 * snippet's, the pixel's and backends' events: visits, campaigns and the time zone (`visits.ts`), and
 * `context.userAgentData` from the request's client hints (`client-hints.ts`) when the event has none. One
 * collector's memory of visitors: make one per app.
 */
export function createDeriveLine(options?: VisitOptions): DeriveLine {
  const deriveVisit = createVisits(options)
  return (line, arrival) => {
    if (arrival.clientHints && line.context.userAgentData === undefined) {
      const data = userAgentDataOf(arrival.clientHints)
      if (data) line.context.userAgentData = data
    }
    deriveVisit(line)
  }
}
