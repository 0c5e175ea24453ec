import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { EventLine } from '@spoor/protocol'

/** Every event in the published files (`events/**\/*.ndjson`) of a data folder. */
export async function readEvents(dataDir: string): Promise<EventLine[]> {
  const entries = await readdir(join(dataDir, 'events'), { recursive: true, withFileTypes: true }).catch(() => [])
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.ndjson')).map((e) => join(e.parentPath, e.name))
  const events: EventLine[] = []
  for (const file of files.sort()) {
    for (const line of (await readFile(file, 'utf8')).split('\n')) if (line) events.push(JSON.parse(line) as EventLine)
  }
  return events
}

/** Waits until the published files hold `count` events that match, and returns them. */
export async function waitForEvents(
  dataDir: string,
  match: (event: EventLine) => boolean,
  { count = 1, timeout = 15_000 } = {},
): Promise<EventLine[]> {
  const deadline = Date.now() + timeout
  for (;;) {
    const found = (await readEvents(dataDir)).filter(match)
    if (found.length >= count) return found
    if (Date.now() > deadline) {
      throw new Error(`waited ${timeout} ms for ${count} matching event(s), found ${found.length}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
