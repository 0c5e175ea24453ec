import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AppOptions, createApp, parseConfig } from '@spoor/collector'
import { createNdjsonSink } from '@spoor/log'
import type { SinkHealth } from '@spoor/protocol'

import { readLines } from './ndjson.js'

export { ndjsonFiles, readLines } from './ndjson.js'

export const writeKey = 'test-key'
export const origin = 'https://shop.example'

export async function tempDir(prefix = 'spoor-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

/** A collector app over a fresh data folder, as the tests' sites configure it. */
export async function testApp(options: Partial<AppOptions> = {}) {
  const dataDir = await tempDir()
  const sink = createNdjsonSink({ dataDir, maxFileAgeMs: 60_000 })
  const config = parseConfig({
    sites: [
      { writeKey, origins: [origin] },
      { writeKey: 'server-key', origins: [] },
    ],
  })
  const app = createApp({ config, sink, snippetPath: join(dataDir, 'no-snippet.js'), ...options })
  return { app, sink, dataDir }
}

/**
 * Posts one batch from a page of the tests' site to a fresh collector (`options` as {@link testApp} takes them), and
 * returns the lines it wrote. Anything but a 200 is an error, with the collector's answer.
 */
export async function linesOfBatch(
  events: object[],
  headers: Record<string, string> = {},
  options: Partial<AppOptions> = {},
) {
  const { app, sink, dataDir } = await testApp(options)
  const response = await app.request('/v1/batch', {
    method: 'POST',
    body: JSON.stringify({ writeKey, batch: events }),
    headers: { origin, ...headers },
  })
  if (response.status !== 200) throw new Error(`the batch was answered ${response.status}: ${await response.text()}`)
  await sink.close()
  return readLines(dataDir)
}

export const basic = (key: string) => 'Basic ' + Buffer.from(key + ':').toString('base64')

/** The health of a sink that is always ready: for the in-memory sinks of tests. */
export const alwaysReady = (): SinkHealth => ({ ready: true, retryAfter: 0, freeBytes: Infinity })
