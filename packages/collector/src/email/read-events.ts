import { createReadStream } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { EventLine } from '@spoor/protocol'

/**
 * Reads every event of the published NDJSON files of a data folder (`events/**\/*.ndjson`; files still being
 * written, `*.ndjson.open`, are left for later), file by file and line by line.
 *
 * @example
 * const events = await readEventLines('./data')
 */
export async function readEventLines(dataDir: string): Promise<EventLine[]> {
  const entries = await readdir(join(dataDir, 'events'), { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return []
    throw error
  })
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.ndjson')).map((e) => join(e.parentPath, e.name))
  const events: EventLine[] = []
  for (const file of files.sort()) {
    let number = 0
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      number++
      if (!line) continue
      try {
        events.push(JSON.parse(line) as EventLine)
      } catch (error) {
        throw new Error(`${file}:${number} is not a JSON line: ${(error as Error).message}`)
      }
    }
  }
  return events
}
