// What a server left on disk, read back once it has closed: the benchmarks check it against what was acknowledged,
// since a figure for a server that answers 2xx without writing (or writes less) measures nothing.
import { createReadStream } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'

/** The lines of a closed server's data folder. */
export interface WrittenLines {
  /** Lines in published event files (`*.ndjson`, refused events apart). */
  events: number
  /** Lines in files of refused events. */
  rejected: number
  /** Files still open (`*.ndjson.open`): a closed server should have published every one. */
  open: string[]
}

async function countLines(path: string): Promise<number> {
  let lines = 0
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++
  }
  return lines
}

/** Counts the lines of every NDJSON file under `dataDir`. */
export async function writtenLines(dataDir: string): Promise<WrittenLines> {
  const found: WrittenLines = { events: 0, rejected: 0, open: [] }
  for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    if (entry.name.endsWith('.ndjson.open')) found.open.push(path)
    else if (!entry.name.endsWith('.ndjson')) continue
    else if (path.slice(dataDir.length).split('/').includes('rejected')) found.rejected += await countLines(path)
    else found.events += await countLines(path)
  }
  return found
}

/**
 * Checks that a closed server wrote exactly the events it acknowledged: returns a readable complaint, or undefined
 * when the two agree.
 */
export async function checkWritten(name: string, dataDir: string, acknowledged: number): Promise<string | undefined> {
  const found = await writtenLines(dataDir)
  const problems: string[] = []
  if (found.events !== acknowledged) {
    problems.push(
      `acknowledged ${acknowledged.toLocaleString('en-US')} events with a 2xx but wrote ${found.events.toLocaleString('en-US')} lines`,
    )
  }
  if (found.rejected > 0)
    problems.push(`refused ${found.rejected.toLocaleString('en-US')} events (the benchmark sends only valid ones)`)
  if (found.open.length > 0)
    problems.push(`left ${found.open.length} file(s) open after closing: ${found.open.join(', ')}`)
  return problems.length > 0 ? `${name}: ${problems.join('; ')} (in ${dataDir})` : undefined
}
