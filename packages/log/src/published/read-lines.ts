import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'

/** The non-empty lines of a file, as text, read as a stream (files reach 64 MB). */
export async function* fileLines(path: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })
  for await (const line of lines) if (line) yield line
}
