import { describe, expect, it } from 'vitest'
import { createRecentIds, type Reservation } from '../../src/steps/recent-ids.js'

const write = (recent: ReturnType<typeof createRecentIds>, writeKey: string, ids: string[]) => {
  const reservation: Reservation = { keys: [] }
  for (const id of ids) recent.claim(writeKey, id, reservation)
  recent.settle(reservation, true)
}

describe('the messageId memory is shared fairly among sites', () => {
  it('keeps a site\u2019s ids however many a flood under another site writes', () => {
    const recent = createRecentIds(1000, 2)
    write(recent, 'shop', ['order-1', 'order-2'])
    for (let i = 0; i < 100; i++)
      write(
        recent,
        'flood',
        Array.from({ length: 50 }, (_, n) => `f-${i}-${n}`),
      )
    expect(recent.has('shop', 'order-1')).toBe(true)
    expect(recent.has('shop', 'order-2')).toBe(true)
    // A retry of the shop's order is still a repeat, not a second write.
    expect(recent.claim('shop', 'order-1', { keys: [] })).toBe('written')
    // The flood keeps its own share, newest first, and the whole stays within the limit.
    expect(recent.has('flood', 'f-99-49')).toBe(true)
    expect(recent.has('flood', 'f-0-0')).toBe(false)
    expect(recent.size).toBeLessThanOrEqual(1000)
  })
})
