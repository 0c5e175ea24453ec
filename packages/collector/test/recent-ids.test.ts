import { describe, expect, it } from 'vitest'
import { createRecentIds, type Reservation } from '../src/steps/recent-ids.js'

type RecentIds = ReturnType<typeof createRecentIds>

const claimAll = (recent: RecentIds, ids: string[]) => {
  const reservation: Reservation = { keys: [] }
  for (const id of ids) recent.claim('site', id, reservation)
  // Every id was free: none written, none held by another write.
  if (reservation.keys.length !== ids.length) throw new Error(`not every id of ${ids.join(', ')} was free`)
  return reservation
}
const write = (recent: RecentIds, ids: string[]) => recent.settle(claimAll(recent, ids), true)

describe('the messageId memory, once full', () => {
  it('forgets the oldest written ids first, and exactly as many as it must', () => {
    const recent = createRecentIds(1000)
    for (let i = 0; i < 50_000; i++) write(recent, [`id-${i}-a`, `id-${i}-b`])
    expect(recent.size).toBe(1000)
    expect(recent.has('site', 'id-49999-b')).toBe(true)
    expect(recent.has('site', 'id-49500-a')).toBe(true)
    expect(recent.has('site', 'id-49499-b')).toBe(false)
    expect(recent.has('site', 'id-0-a')).toBe(false)
  })

  it('keeps an id whose write is slow while newer ones come and go, and remembers it once written', () => {
    const recent = createRecentIds(100)
    write(recent, ['before'])
    const slow = claimAll(recent, ['slow'])
    for (let i = 0; i < 1000; i++) write(recent, [`later-${i}`])
    // Still held by its own write: a copy arriving now waits for that write rather than being written again.
    expect(recent.claim('site', 'slow', { keys: [] })).toBe(slow)
    expect(recent.has('site', 'before')).toBe(false)
    recent.settle(slow, true)
    expect(recent.has('site', 'slow')).toBe(true)
    expect(recent.holding).toBe(0)
    // Written now, it is the oldest of what is remembered and goes first, after the memory fills once more.
    for (let i = 0; i < 100; i++) write(recent, [`after-${i}`])
    expect(recent.has('site', 'slow')).toBe(false)
    expect(recent.has('site', 'after-99')).toBe(true)
    expect(recent.size).toBe(100)
  })

  it('gives back the ids of failed writes, which can be written again and are then forgotten in turn', () => {
    const recent = createRecentIds(100)
    for (let i = 0; i < 20_000; i++) {
      recent.settle(claimAll(recent, [`retry-${i % 50}`]), false)
      if (i % 2 === 0) write(recent, [`ok-${i}`])
    }
    expect(recent.holding).toBe(0)
    expect(recent.has('site', 'retry-0')).toBe(false)
    write(recent, ['retry-0'])
    expect(recent.has('site', 'retry-0')).toBe(true)
    for (let i = 0; i < 100; i++) write(recent, [`last-${i}`])
    expect(recent.has('site', 'retry-0')).toBe(false)
    expect(recent.size).toBe(100)
  })
})
