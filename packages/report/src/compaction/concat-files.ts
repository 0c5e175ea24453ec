import { createReadStream, createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'

/**
 * Copies NDJSON files one after the other into `target`, a newline between two files that lacked one. DuckDB's
 * read_json keeps a buffer per file it lists: a day of minute files (1,440 of them) ran out of 512 MB where the
 * same lines as one file read in a few. A failed write (the disk full) rejects: the copy goes through `pipeline`,
 * since a write stream's error with no listener ends the process, `spoor serve` with it.
 */
export async function concatFiles(paths: string[], target: string, signal?: AbortSignal): Promise<void> {
  await pipeline(
    async function* () {
      for (const path of paths) {
        let last = 0x0a
        for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
          if (chunk.length) last = chunk[chunk.length - 1]!
          yield chunk
        }
        if (last !== 0x0a) yield Buffer.from('\n')
      }
    },
    createWriteStream(target),
    signal ? { signal } : {},
  )
}

/** The paths to give read_json: as they are when few, else copied into one file under `scratch`. */
export async function fewFiles(paths: string[], scratch: string, name: string): Promise<string[]> {
  if (paths.length <= 64) return paths
  const target = join(scratch, name)
  await concatFiles(paths, target)
  return [target]
}
