import { type DayManifest, readDayManifests } from '@spoor/log'
import { extractedColumnsVersion } from '../loaders/extracted-columns.js'
import { visitSummaryVersion } from '../sql/visits.js'
import { dayOf } from './day-names.js'

/**
 * Whether this version of spoor wrote a compacted day: its extracted columns and its visit summaries are the ones
 * this version reads. A day that is not is compacted again whatever else holds (`compact-days.ts`).
 */
export const writtenByThisVersion = (manifest: DayManifest) =>
  manifest.extractedColumns === extractedColumnsVersion && manifest.visitsVersion === visitSummaryVersion

/**
 * The compacted days written by an older version of spoor (see {@link writtenByThisVersion}), those of a period if
 * `from` and `to` are given. The report reads such a day from its NDJSON files instead, which at a busy shop's month
 * is minutes, and beyond DuckDB's memory (at 10M events a report failed after 4 minutes), until `spoor compact`
 * writes the day again. So `spoor serve` compacts at once when it finds one, and `spoor report` says so.
 *
 * @returns the days' names (`YYYY-MM-DD`), oldest first
 */
export async function daysCompactedByOlderVersion(dataDir: string, from?: Date, to?: Date): Promise<string[]> {
  const manifests = await readDayManifests(dataDir)
  return [...manifests.values()]
    .filter((manifest) => !writtenByThisVersion(manifest))
    .map((manifest) => manifest.day)
    .filter((day) => (!from || day >= dayOf(from)) && (!to || day <= dayOf(to)))
}
