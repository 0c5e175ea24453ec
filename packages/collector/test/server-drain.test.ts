import { connect, type Socket } from 'node:net'
import { startServer } from '@spoor/collector'
import { createNdjsonSink, nodeDisk } from '@spoor/log'
import { describe, expect, it } from 'vitest'
import { heldDisk } from '../../../test/support/held-disk.js'
import { readLines, tempDir, testApp, writeKey } from '../../../test/support/helpers.js'

const request = (id: string) => {
  const body = JSON.stringify({ writeKey, batch: [{ type: 'track', event: 'Kept', anonymousId: 'a', messageId: id }] })
  // HTTP/1.1 without a Connection header: keep-alive, as every client of the event API sends.
  return `POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`
}

/** Everything the server sends on `socket` until it closes it. */
const readUntilClosed = (socket: Socket) =>
  new Promise<string>((resolve) => {
    let text = ''
    socket.on('data', (chunk) => (text += chunk))
    socket.on('error', () => {})
    socket.once('close', () => resolve(text))
  })

describe('closing the server', () => {
  it('ends a keep-alive connection with the answer in flight, so that its sender cannot keep the collector taking events', async () => {
    const dataDir = await tempDir()
    const held = heldDisk(nodeDisk)
    const sink = createNdjsonSink({ dataDir, disk: held.disk, minFreeBytes: 0 })
    await sink.ready
    const { app } = await testApp({ sink })
    const server = await startServer({ app, sink, port: 0, hostname: '127.0.0.1' })

    const socket = connect(server.port, '127.0.0.1')
    await new Promise((resolve) => socket.once('connect', resolve))
    const answers = readUntilClosed(socket)
    held.hold()
    socket.write(request('in-flight'))
    await expect.poll(() => held.state.waiting).toBe(1)
    // The sender's next batch, on the same connection as soon as its answer comes: it must not be taken.
    socket.once('data', () => socket.writable && socket.write(request('after-close')))
    const closed = server.close()
    held.release()

    const text = await answers
    await closed
    expect(text.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200'])
    expect(text).toMatch(/^connection: close\r$/im)
    expect((await readLines(dataDir)).map((line) => line.messageId)).toEqual(['in-flight'])
  })
})
