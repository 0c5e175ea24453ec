import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { limits } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { readLines, testApp, writeKey } from '../../../../test/support/helpers.js'

async function bytesIn(dir: string) {
  let total = 0
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (entry.isFile() && entry.name.includes('.ndjson')) total += (await stat(join(entry.parentPath, entry.name))).size
  }
  return total
}

const tiny = { type: 'page', anonymousId: 'a' }
// Requests a stranger can send, each built to make the collector write as much as it can.
const requests: Record<string, object> = {
  'a 450 KB batch context over 1,000 tiny events': {
    writeKey,
    context: { pad: 'x'.repeat(450_000) },
    batch: Array.from({ length: 1000 }, () => tiny),
  },
  'a 45 KB batch context over 100 tiny events': {
    writeKey,
    context: { pad: 'x'.repeat(45_000) },
    batch: Array.from({ length: 100 }, () => tiny),
  },
  '2,500 numbers for events': { writeKey, batch: Array.from({ length: 2500 }, () => 1) },
  '2,500 events without a name': {
    writeKey,
    batch: Array.from({ length: 2500 }, () => ({ type: 'track', anonymousId: 'a' })),
  },
  '100 refused events of 4 KB': {
    writeKey,
    batch: Array.from({ length: 100 }, () => ({
      type: 'track',
      anonymousId: 'a',
      properties: { pad: 'y'.repeat(4000) },
    })),
  },
  '2,500 tiny events': { writeKey, batch: Array.from({ length: 2500 }, () => tiny) },
  'one tiny event': { writeKey, batch: [tiny] },
}

describe('bytes written are bounded by bytes received', () => {
  for (const [name, body] of Object.entries(requests)) {
    it(`${name}: at most ${limits.writeAmplification}× the body, beside each kept line's own fields`, async () => {
      const { app, sink, dataDir } = await testApp()
      const text = JSON.stringify(body)
      const response = await app.request('/v1/batch', { method: 'POST', body: text })
      const answer = (await response.json()) as { accepted?: number }
      await sink.close()
      const events = await bytesIn(join(dataDir, 'events'))
      const rejected = await bytesIn(join(dataDir, 'rejected'))
      const accepted = answer.accepted ?? 0
      // The fields the collector adds to every line it keeps (messageId, times, nulls) are under 512 bytes.
      expect(events + rejected).toBeLessThanOrEqual(limits.writeAmplification * text.length + 512 * accepted + 4096)
    })
  }
})

describe('headers are bytes received too', () => {
  it("copies the request's agent into each kept line cut to 512 characters, so a batch cannot multiply a long one", async () => {
    const { app, sink, dataDir } = await testApp()
    const agent = `Mozilla/5.0 ${'u'.repeat(8000)}`
    const text = JSON.stringify({ writeKey, batch: Array.from({ length: 2500 }, () => tiny) })
    const response = await app.request('/v1/batch', { method: 'POST', body: text, headers: { 'user-agent': agent } })
    const { accepted } = (await response.json()) as { accepted: number }
    await sink.close()
    expect(accepted).toBe(2500)
    const lines = await readLines(dataDir)
    expect(new Set(lines.map((line) => line.context.userAgent))).toEqual(new Set([agent.slice(0, 512)]))
    // Each kept line: its fixed fields (under 512 bytes) and the agent (at most 512), beside 4× the request.
    const written = (await bytesIn(join(dataDir, 'events'))) + (await bytesIn(join(dataDir, 'rejected')))
    expect(written).toBeLessThanOrEqual(
      limits.writeAmplification * (text.length + agent.length) + (512 + 512) * accepted + 4096,
    )
  })
})
