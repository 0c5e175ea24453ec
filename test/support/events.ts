import type { EventLine } from '@spoor/protocol'
import { readLines } from './ndjson.js'

/** Every event in the published files (`events/**\/*.ndjson`) of a data folder. */
export const readEvents = (dataDir: string): Promise<EventLine[]> => readLines<EventLine>(dataDir)

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
      // What was found, named, says which one is missing.
      const names = found.map((e) => [e.event ?? e.type, e.properties?.name].filter(Boolean).join(' '))
      throw new Error(`waited ${timeout} ms for ${count} matching event(s), found ${found.length}: ${names.join(', ')}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
