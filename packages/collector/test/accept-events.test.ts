import type { EventSink } from '@spoor/protocol'
import { describe, expect, it } from 'vitest'
import { alwaysReady } from '../../../test/support/helpers.js'
import { createDeriveLine } from '../src/derive/derive-line.js'
import { acceptEvents, keepPrepared, prepareEvents } from '../src/steps/accept-events.js'
import { createRecentIds } from '../src/steps/recent-ids.js'

const memorySink = (): EventSink & { lines: unknown[] } => {
  const lines: unknown[] = []
  return {
    lines,
    write: async (l) => void lines.push(...l),
    reject: async () => {},
    close: async () => {},
    health: alwaysReady,
  }
}

// When the batches arrive: nothing here depends on it, but each arrival needs one.
const receivedAt = new Date('2026-03-02T10:00:00.000Z')

describe('acceptEvents', () => {
  it('remembers for dedupe only the ids a sender chose, not those the collector made', async () => {
    const recent = createRecentIds()
    const sink = memorySink()
    await acceptEvents(
      { sink, recent },
      [
        { type: 'page', anonymousId: 'a', messageId: 'chosen-by-sender' },
        { type: 'page', anonymousId: 'b' },
      ],
      { receivedAt, writeKey: 'k' },
    )
    const made = (sink.lines[1] as { messageId: string }).messageId
    expect(recent.has('k', 'chosen-by-sender')).toBe(true)
    expect(recent.has('k', made)).toBe(false)
  })

  it('holds ids only while their write is under way: a failed write gives them back, a kept one remembers them', async () => {
    const recent = createRecentIds()
    let fail = true
    const sink: EventSink = {
      write: () => (fail ? Promise.reject(new Error('EIO')) : Promise.resolve()),
      reject: async () => {},
      close: async () => {},
      health: alwaysReady,
    }
    const batch = [
      { type: 'page', anonymousId: 'a', messageId: 'm1' },
      { type: 'page', anonymousId: 'a', messageId: 'm2' },
    ]
    const first = acceptEvents({ sink, recent }, batch, { receivedAt, writeKey: 'k' })
    const copy = acceptEvents({ sink, recent }, batch, { receivedAt, writeKey: 'k' })
    expect(recent.holding).toBe(2)
    await expect(first).rejects.toThrow('EIO')
    await expect(copy).rejects.toThrow('EIO')
    expect(recent.holding).toBe(0)
    expect(recent.has('k', 'm1')).toBe(false)

    fail = false
    await expect(acceptEvents({ sink, recent }, batch, { receivedAt, writeKey: 'k' })).resolves.toMatchObject({
      accepted: 2,
      duplicates: 0,
    })
    expect(recent.holding).toBe(0)
    expect(recent.has('k', 'm1')).toBe(true)
  })

  it('neither holds nor remembers ids the collector has just made (email opens and clicks)', async () => {
    const recent = createRecentIds()
    const sink = memorySink()
    const written = acceptEvents(
      { sink, recent },
      [{ type: 'track', event: 'Email Opened', anonymousId: 'a', messageId: 'made-here' }],
      {
        receivedAt,
        writeKey: 'k',
        freshIds: true,
      },
    )
    expect(recent.holding).toBe(0)
    await written
    expect(recent.has('k', 'made-here')).toBe(false)
    expect(sink.lines).toHaveLength(1)
  })

  it('refuses to answer a copy as duplicates while the write holding its ids has not even started', async () => {
    const recent = createRecentIds()
    const sink = memorySink()
    const batch = [{ type: 'page', anonymousId: 'a', messageId: 'm1' }]
    const first = prepareEvents({ sink, recent }, batch, { receivedAt, writeKey: 'k' })
    const copy = prepareEvents({ sink, recent }, batch, { receivedAt, writeKey: 'k' })
    await expect(keepPrepared({ sink, recent }, copy)).rejects.toThrow(/not handed to keepPrepared at once/)
    await expect(keepPrepared({ sink, recent }, first)).resolves.toMatchObject({ accepted: 1 })
    expect(sink.lines).toHaveLength(1)
  })

  it("keeps refused events' copies within the share of rejected/ when no body size bounds them (events it is handed)", () => {
    const refused = Array.from({ length: 3000 }, () => ({
      type: 'track',
      anonymousId: 'a',
      properties: 'x'.repeat(3000),
    }))
    const prepared = prepareEvents(
      { sink: memorySink(), recent: createRecentIds(), derive: createDeriveLine() },
      refused,
      { receivedAt, writeKey: 'k' },
    )
    expect(prepared.result.rejected).toHaveLength(3000)
    // Half the allowance of the largest body (2 × 500 KB), then one line counting the rest.
    expect(prepared.rejected.length).toBeLessThan(400)
    expect(prepared.rejected.at(-1)!.reason).toMatch(/^\d+ more refused event\(s\) of this request/)
  })
})
