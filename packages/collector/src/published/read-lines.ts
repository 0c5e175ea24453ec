import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import type { EventLine } from '@spoor/protocol'
import type { DataFile } from './published-files.js'

/** The non-empty lines of a file, as text, read as a stream (files reach 64 MB). */
export async function* fileLines(path: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })
  for await (const line of lines) if (line) yield line
}

/**
 * Every event of the given files, in file order. A line that is not JSON (which the collector never writes; a
 * hand-edited file might hold one) is reported through `onBadLine` and skipped.
 */
export async function* readEventLines(files: DataFile[], onBadLine?: (file: string, error: Error) => void): AsyncGenerator<EventLine> {
  for (const file of files) {
    for await (const text of fileLines(file.path)) {
      let line: EventLine
      try {
        line = JSON.parse(text) as EventLine
      } catch (error) {
        onBadLine?.(file.path, error as Error)
        continue
      }
      yield line
    }
  }
}
