import { readDayManifests } from '@spoor/log'
import { extractedColumnsVersion } from '../loaders/extracted-columns.js'
import { visitSummaryVersion } from '../sql/visits.js'

/**
 * The compacted days written by an older version of spoor: their extracted columns, or their visit summaries, are
 * not the ones this version reads. The report reads such a day from its NDJSON files instead, which at a busy shop's
 * month is minutes, and beyond DuckDB's memory (at 10M events a report failed after 4 minutes), until `spoor
 * compact` writes the day again. So `spoor serve` compacts at once when it finds one, and `spoor report` says so.
 *
 * @returns the days' names (`YYYY-MM-DD`), oldest first
 */
export async function daysCompactedByOlderVersion(dataDir: string): Promise<string[]> {
  const manifests = await readDayManifests(dataDir)
  return [...manifests.values()]
    .filter(
      (manifest) =>
        manifest.extractedColumns !== extractedColumnsVersion || manifest.visitsVersion !== visitSummaryVersion,
    )
    .map((manifest) => manifest.day)
}
