import { createMetrics, createNdjsonSink } from '@spoor/log'
import { limits } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { readLines, tempDir } from '../../../../test/support/helpers.js'
import { createApp, parseConfig } from '../../src/index.js'

const config = parseConfig({ sites: [{ writeKey: 'hostile-key', origins: [] }] })

async function send(events: object[], sentAt?: string) {
  const dataDir = await tempDir()
  const sink = createNdjsonSink({ dataDir })
  const metrics = createMetrics()
  const app = createApp({ config, sink, metrics, snippetPath: '/nonexistent' })
  const response = await app.request('/v1/batch', {
    method: 'POST',
    body: JSON.stringify({ writeKey: 'hostile-key', ...(sentAt ? { sentAt } : {}), batch: events }),
  })
  await sink.close()
  return {
    body: await response.json(),
    lines: await readLines(dataDir),
    rejected: await readLines(dataDir, 'rejected'),
    metrics: metrics.render(),
  }
}

const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

describe('time from clients is data, not truth', () => {
  it('refuses a timestamp that is not a real date, with a reason, whatever field carries it', async () => {
    const unreal = [
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-04-31T12:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T10:60:00Z',
      '2026-01-01T10:00:61Z',
      '2025-02-29T00:00:00Z',
      '2026-01-01T00:00:00+25:00',
    ]
    for (const field of ['originalTimestamp', 'timestamp', 'sentAt']) {
      const { body, lines } = await send(
        unreal.map((value) => ({ type: 'track', event: 'E', anonymousId: 'a', [field]: value })),
      )
      expect(lines).toEqual([])
      expect(body.rejected).toHaveLength(unreal.length)
      for (const { reason } of body.rejected)
        expect(reason).toBe(
          `${field} must be a real ISO-8601 date and time with a time zone, like 2026-11-23T15:04:05.000Z`,
        )
    }
    // A leap day is a real date.
    expect(
      (await send([{ type: 'track', event: 'E', anonymousId: 'a', timestamp: '2028-02-29T00:00:00Z' }])).lines,
    ).toHaveLength(1)
  })

  it('clamps the skew-corrected timestamp to the allowed wait before receipt, and never after it', async () => {
    const cases = [
      { originalTimestamp: '9999-12-31T23:59:59Z', sentAt: '0000-01-01T00:00:00Z' },
      { originalTimestamp: '0000-01-01T00:00:00Z', sentAt: '9999-12-31T23:59:59Z' },
      { originalTimestamp: '2026-01-01T00:00:00Z', sentAt: '2025-01-01T00:00:00Z' },
    ]
    for (const times of cases) {
      const { lines, metrics } = await send([{ type: 'track', event: 'E', anonymousId: 'a', ...times }])
      expect(metrics).toMatch(/^spoor_timestamps_clamped_total 1$/m)
      const line = lines[0]!
      expect(line.timestamp).toMatch(iso)
      const received = Date.parse(line.receivedAt)
      const at = Date.parse(line.timestamp)
      expect(at).toBeLessThanOrEqual(received)
      expect(at).toBeGreaterThanOrEqual(received - limits.clientDelayMs)
      // What the client said is kept as it said it.
      expect(line.originalTimestamp).toBe(times.originalTimestamp)
    }
  })

  it('keeps a bare timestamp however old (a backfill) or up to a day ahead, and moves a later one back to the arrival', async () => {
    const old = '2009-06-01T12:00:00.000Z'
    const kept = await send([{ type: 'track', event: 'E', anonymousId: 'a', timestamp: old }])
    expect(kept.lines.map((line) => line.timestamp)).toEqual([old])
    expect(kept.metrics).not.toMatch(/^spoor_timestamps_clamped_total [1-9]/m)

    // A server's clock an hour ahead: kept as it says.
    const soon = await send([
      { type: 'track', event: 'E', anonymousId: 'a', timestamp: new Date(Date.now() + 3_600_000).toISOString() },
    ])
    expect(soon.metrics).not.toMatch(/^spoor_timestamps_clamped_total [1-9]/m)
    expect(Date.parse(soon.lines[0]!.timestamp)).toBeGreaterThan(Date.parse(soon.lines[0]!.receivedAt))

    const ahead = await send([{ type: 'track', event: 'E', anonymousId: 'a', timestamp: '9999-12-31T23:59:59Z' }])
    expect(ahead.metrics).toMatch(/^spoor_timestamps_clamped_total 1$/m)
    const line = ahead.lines[0]!
    expect(line.timestamp).toBe(line.receivedAt)
  })

  it("corrects an analytics.js timestamp by its sentAt: the client's clock, however far off, and however old", async () => {
    // analytics.js 2.0 sends the call's time as `timestamp` and the send's as `sentAt`, both on the browser's clock,
    // and no originalTimestamp. A browser two hours slow: the event happened just before it arrived.
    const slow = Date.now() - 2 * 3_600_000
    const call = new Date(slow).toISOString()
    const browser = await send([
      { type: 'page', anonymousId: 'a', timestamp: call, sentAt: new Date(slow + 50).toISOString() },
    ])
    const [page] = browser.lines
    expect(page!.originalTimestamp).toBe(call)
    expect(Date.parse(page!.receivedAt) - Date.parse(page!.timestamp)).toBe(50)
    expect(browser.metrics).not.toMatch(/^spoor_timestamps_clamped_total [1-9]/m)

    // A backfill through a server library whose clock is right keeps its old date, the batch's sentAt beside it.
    const old = '2009-06-01T12:00:00.000Z'
    const backfill = await send([{ type: 'track', event: 'E', userId: 'u', timestamp: old }], new Date().toISOString())
    expect(Math.abs(Date.parse(backfill.lines[0]!.timestamp) - Date.parse(old))).toBeLessThan(60_000)

    // A clock off by more than the longest wait is no clock to correct by: the timestamp is kept as it says.
    const wild = await send([
      { type: 'track', event: 'E', anonymousId: 'a', timestamp: old, sentAt: '0000-01-01T00:00:00Z' },
    ])
    expect(wild.lines[0]!.timestamp).toBe(old)
    expect(wild.lines[0]!.originalTimestamp).toBeNull()
  })

  it("refuses the whole batch (400, with the reason) when the batch's sentAt is not a real time", async () => {
    for (const sentAt of ['x', '2026-02-30T00:00:00Z', 1_700_000_000_000]) {
      const dataDir = await tempDir()
      const sink = createNdjsonSink({ dataDir })
      const app = createApp({ config, sink, snippetPath: '/nonexistent' })
      const event = { type: 'track', event: 'E', anonymousId: 'a', originalTimestamp: '2026-01-01T00:00:00Z' }
      const response = await app.request('/v1/batch', {
        method: 'POST',
        body: JSON.stringify({ writeKey: 'hostile-key', sentAt, batch: [event] }),
      })
      await sink.close()
      expect(response.status, String(sentAt)).toBe(400)
      expect((await response.json()).error).toBe(
        'batch sentAt must be a real ISO-8601 date and time with a time zone, like 2026-11-23T15:04:05.000Z',
      )
      expect(await readLines(dataDir)).toEqual([])
    }
  })
})
