import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readLines } from '../support/ndjson.js'

/** The write key of the config `writeSiteConfig` writes. */
export const writeKey = 'packaging-key'

/** Writes a collector config with one site, for server-side senders; resolves to its path. */
export async function writeSiteConfig(dir: string): Promise<string> {
  const path = join(dir, 'spoor.config.json')
  await writeFile(path, JSON.stringify({ sites: [{ writeKey, origins: [] }] }))
  return path
}

/** Sends one track event with this `messageId` to a collector; resolves to the answer's status. */
export async function sendEvent(url: string, messageId: string): Promise<number> {
  const response = await fetch(`${url}/v1/batch`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: 'Basic ' + Buffer.from(writeKey + ':').toString('base64'),
    },
    body: JSON.stringify({ batch: [{ type: 'track', event: 'Packaging Checked', messageId, anonymousId: 'a-1' }] }),
  })
  await response.arrayBuffer()
  return response.status
}

/** The event files under `DATA/events`, by state: published (`*.ndjson`) or still being written (`*.ndjson.open`). */
export async function eventFiles(dataDir: string): Promise<{ published: string[]; open: string[] }> {
  const entries = await readdir(join(dataDir, 'events'), { recursive: true, withFileTypes: true }).catch(() => [])
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name))
  return {
    published: files.filter((file) => file.endsWith('.ndjson')),
    open: files.filter((file) => file.endsWith('.ndjson.open')),
  }
}

/** The `messageId`s of the published event lines. */
export async function publishedIds(dataDir: string): Promise<string[]> {
  return (await readLines<{ messageId: string }>(dataDir)).map((line) => line.messageId)
}
