import { join } from 'node:path'
import { fileLines, listDataFiles } from '@spoor/log'
import type { EventLine } from '@spoor/protocol'

/**
 * Reads every event of the published NDJSON files of a data folder (`events/**\/*.ndjson`; files still being
 * written, `*.ndjson.open`, are left for later), partition by partition and line by line.
 *
 * @example
 * const events = await readEventLines('./data')
 */
export async function readEventLines(dataDir: string): Promise<EventLine[]> {
  const events: EventLine[] = []
  for (const file of await listDataFiles(join(dataDir, 'events'))) {
    for await (const line of fileLines(file.path)) {
      try {
        events.push(JSON.parse(line) as EventLine)
      } catch (error) {
        throw new Error(`${file.path} holds a line that is not JSON: ${(error as Error).message}`)
      }
    }
  }
  return events
}
