import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../../test/support/helpers.js'
import { flood, floodConfig, floodKey, heapMb, metric, residentMemory, serveSmallHeap } from './small-heap-serve.js'

// 20,000 opens of 14 KB recipient ids: 280 MB if the collector kept each id, past its 256 MB heap (a collector that
// kept them died after about 16,700). 14 KB leaves the request line within Node's 16 KB header limit.
const opens = 20_000
const padding = 'r'.repeat(14 * 1024)
const rssBound = 300 * 1024 * 1024

describe('spoor serve under a flood of email opens', () => {
  it(`stays up, answers /healthz and keeps its RSS under 300 MB after ${opens} opens of 14 KB recipient ids (${heapMb} MB heap)`, async () => {
    const dir = await tempDir()
    const serve = await serveSmallHeap(join(dir, 'data'), await floodConfig(dir))
    try {
      const started = Date.now()
      await flood(opens, 16, serve.stderr, (i) =>
        fetch(`${serve.url}/email/o.gif?k=${floodKey}&c=spring&m=e1&r=${i}-${padding}`),
      )
      const seconds = (Date.now() - started) / 1000

      expect((await fetch(serve.url + '/healthz')).status, serve.stderr()).toBe(200)
      // Every open reached the message memory, which holds a fixed-size digest of each.
      await expect.poll(() => metric(serve.url, 'spoor_email_messages_remembered')).toBe(opens)
      const memory = await residentMemory(serve.child.pid!)
      console.log(JSON.stringify({ opens, seconds, rss: memory.rss, peak: memory.peak }))
      expect(memory.peak).toBeLessThan(rssBound)
      expect(memory.rss).toBeLessThan(rssBound)
    } finally {
      serve.child.kill('SIGTERM')
      await serve.exited
      await rm(dir, { recursive: true, force: true })
    }
  }, 90_000)
})
