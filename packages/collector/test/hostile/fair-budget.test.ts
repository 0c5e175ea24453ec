import { connect, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { readLines, testApp, writeKey } from '../../../../test/support/helpers.js'
import { startServer } from '../../src/index.js'

/** Opens a request that declares `declared` bytes and sends only a few of them, then holds the connection. */
function trickle(url: string, declared: number): Promise<Socket> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST /v1/batch HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: text/plain\r\nContent-Length: ${declared}\r\n\r\n{"batch":`,
      )
      resolve(socket)
    })
    socket.on('error', reject)
  })
}

describe('one client cannot take the in-flight budget from the others', () => {
  it('answers other senders and pixels while slow senders hold sockets that declare the largest bodies', async () => {
    const limit = 16 * 1024 * 1024
    const { app, sink, dataDir } = await testApp({ maxInFlightBytes: limit })
    const server = await startServer({ app, sink, port: 0, hostname: '127.0.0.1' })
    // 33 × 512,000 declared bytes is more than the whole budget; they send ten bytes each.
    const slow = await Promise.all(Array.from({ length: 33 }, () => trickle(server.url, 512_000)))
    try {
      await expect.poll(() => slow.every((socket) => socket.bytesWritten > 0)).toBe(true)
      for (let i = 0; i < 5; i++) {
        const batch = await fetch(server.url + '/v1/batch', {
          method: 'POST',
          // A large honest batch (about 400 KB), which the declared bytes alone would leave no room for.
          body: JSON.stringify({
            writeKey,
            batch: Array.from({ length: 20 }, (_, n) => ({
              type: 'track',
              event: 'Honest',
              anonymousId: 'a',
              messageId: `honest-${i}-${n}`,
              properties: { pad: 'x'.repeat(20_000) },
            })),
          }),
        })
        expect(batch.status, await batch.text()).toBe(200)
        const pixel = await fetch(`${server.url}/p.gif?k=${writeKey}&aid=a&e=Seen`)
        expect(pixel.status).toBe(200)
      }
      const metrics = await (await fetch(server.url + '/metrics')).text()
      // What the slow senders hold is what they sent, not what they declared.
      expect(Number(/^spoor_in_flight_bytes (\d+)$/m.exec(metrics)?.[1])).toBeLessThan(64 * 1024)
    } finally {
      for (const socket of slow) socket.destroy()
      await server.close()
    }
    // The pixels were recorded, not silently dropped for want of budget (their answer is the image either way).
    expect((await readLines(dataDir)).filter((line) => line.event === 'Seen')).toHaveLength(5)
  })
})
