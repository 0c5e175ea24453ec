import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { createNdjsonSink } from '@spoor/log'
import type { EventSink } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { tempDir, testApp, writeKey } from '../../../test/support/helpers.js'
import { startServer } from '../src/index.js'

// A full collection on demand, without starting the test process with --expose-gc.
setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

describe('a request waiting for its durable write', () => {
  it('holds its lines as bytes only: its body text and parsed events are free to be collected', async () => {
    const dataDir = await tempDir()
    const files = createNdjsonSink({ dataDir, minFreeBytes: 0 })
    await files.ready
    let parsedProperties: WeakRef<object> | undefined
    let open!: () => void
    const gate = new Promise<void>((resolve) => (open = resolve))
    // The sink sees the lines (whose properties are the parsed event's own object), writes them, and holds the
    // request's answer until the gate opens, as a slow disk's group commit would.
    const sink: EventSink = {
      ...files,
      write(lines, receivedAt) {
        parsedProperties = new WeakRef(lines[0]!.properties)
        const written = files.write(lines, receivedAt)
        return gate.then(() => written)
      },
    }
    const { app } = await testApp({ sink })
    const server = await startServer({ app, sink, port: 0, hostname: '127.0.0.1' })
    try {
      const body = JSON.stringify({
        writeKey,
        batch: [
          {
            type: 'track',
            event: 'Held',
            anonymousId: 'a',
            messageId: 'held-1',
            properties: { pad: 'x'.repeat(20_000) },
          },
        ],
      })
      const answer = fetch(server.url + '/v1/batch', {
        method: 'POST',
        body,
        headers: { 'content-type': 'text/plain' },
      })
      await expect.poll(() => parsedProperties !== undefined).toBe(true)
      // Past the turn the write started in, then two full collections.
      await new Promise((resolve) => setTimeout(resolve, 20))
      collectGarbage()
      collectGarbage()
      expect(parsedProperties!.deref(), 'the parsed event is still reachable while the write is under way').toBe(
        undefined,
      )
      open()
      const response = await answer
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ accepted: 1 })
    } finally {
      open()
      await server.close()
    }
  })
})
