// A data folder in the collector's published layout, written line by line at fixed times, for the compaction tests.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** A page view or a track event of one visitor, at a fixed time, as the collector writes it. */
export function eventLine(
  id: string,
  at: string,
  fields: {
    anonymousId: string
    userId?: string
    path?: string
    referrer?: string
    event?: string
    traits?: object
    /** More of the event's context: its `location`, `browser`, `os`, `device`, `screen`. */
    context?: object
    /** A track event's properties (default none). */
    properties?: object
  },
) {
  const path = fields.path ?? '/'
  return JSON.stringify({
    messageId: id,
    type: fields.traits ? 'identify' : fields.event ? 'track' : 'page',
    event: fields.event ?? null,
    name: null,
    category: null,
    userId: fields.userId ?? null,
    anonymousId: fields.anonymousId,
    groupId: null,
    previousId: null,
    properties: fields.event
      ? (fields.properties ?? {})
      : { path, url: `https://shop.example${path}`, referrer: fields.referrer ?? '' },
    traits: fields.traits ?? {},
    context: {
      page: { path, url: `https://shop.example${path}`, referrer: fields.referrer ?? '' },
      session: { id: `session-${fields.anonymousId}` },
      ...fields.context,
    },
    originalTimestamp: at,
    sentAt: at,
    receivedAt: at,
    timestamp: at,
    writeKey: 'shop',
  })
}

/** Writes lines as one file of the hour they arrived in, published (`.ndjson`) or still open (`.ndjson.open`). */
export async function writeDataFile(dataDir: string, at: string, lines: string[], open = false): Promise<string> {
  const dir = join(dataDir, 'events', `dt=${at.slice(0, 10)}`, `hour=${at.slice(11, 13)}`)
  await mkdir(dir, { recursive: true })
  const path = join(dir, `${at.replace(/[-:.]/g, '')}-000001-0test000.ndjson${open ? '.open' : ''}`)
  await writeFile(path, lines.map((line) => line + '\n').join(''))
  return path
}
