import type { EventLine } from '@spoor/protocol'
import type { Sources } from './compaction/plan-sources.js'
import type { Db } from './duckdb.js'
import { type LoadedEvents, loadEvents } from './load-events.js'
import { loadVisits } from './load-visits.js'

/** What {@link loadPeriod} loads, beside its sources. */
export interface PeriodOptions {
  from: Date
  to: Date
  writeKey?: string
  /** Derived events decided by a batch run of the cart detector (see `LoadOptions.derived`). */
  derived?: EventLine[]
}

/**
 * Makes a period's `events` ({@link loadEvents}) and its `visits` ({@link loadVisits}) from what `planSources` said to
 * read: what both the report's period and the previous one (its headline) are made of.
 *
 * @returns what {@link loadEvents} returns: the lines skipped as unreadable, and a count of the events to ask for
 */
export async function loadPeriod(db: Db, sources: Sources, options: PeriodOptions): Promise<LoadedEvents> {
  const range = {
    from: options.from,
    to: options.to,
    ...(options.writeKey ? { writeKey: options.writeKey } : {}),
  }
  const loaded = await loadEvents(db, {
    files: sources.ndjson,
    parquet: sources.parquet,
    parquetToDedupe: sources.parquetToDedupe,
    parquetTimes: sources.parquetTimes,
    derived: options.derived ?? [],
    ...range,
  })
  await loadVisits(db, { ...(sources.visits ? { visits: sources.visits } : {}), parquet: sources.parquet, ...range })
  return loaded
}
