import { describe, expect, it } from 'vitest'
import { acceptEvents } from '../src/steps/accept-events.js'
import { createRecentIds } from '../src/steps/recent-ids.js'
import type { EventSink } from '../src/sink/event-sink.js'

const memorySink = (): EventSink & { lines: unknown[] } => {
  const lines: unknown[] = []
  return { lines, write: async (l) => void lines.push(...l), reject: async () => {}, close: async () => {} }
}

describe('acceptEvents', () => {
  it('remembers for dedupe only the ids a sender chose, not those the collector made', async () => {
    const recent = createRecentIds()
    const sink = memorySink()
    await acceptEvents({ sink, recent }, [
      { type: 'page', anonymousId: 'a', messageId: 'chosen-by-sender' },
      { type: 'page', anonymousId: 'b' },
    ], { receivedAt: new Date(), writeKey: 'k' })
    const made = (sink.lines[1] as { messageId: string }).messageId
    expect(recent.has('k', 'chosen-by-sender')).toBe(true)
    expect(recent.has('k', made)).toBe(false)
  })
})
