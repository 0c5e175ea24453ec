import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DataFile } from '@spoor/log'
import type { EventLine } from '@spoor/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { createCartDetector } from '../src/cart-detector.js'
import { type DetectorCheckpoint, siteCheckpoint } from '../src/detector-checkpoint.js'
import { detectInFiles } from '../src/feed-detector.js'
import { at, line } from './event-lines.js'

const windowMs = 30 * 60_000
const recoverWithinMs = 24 * 3_600_000
const tea = { product_id: 'tea', price: 12.5, quantity: 2 }
const cartEvent = (minutes: number, anonymousId: string, cartId: string, more: Partial<EventLine> = {}) =>
  line(minutes, { event: 'Product Added', anonymousId, properties: { cart_id: cartId, products: [tea] }, ...more })

// Two stretches of lines, split at minute 100: the carts of the first are decided in the second, and state of every
// kind the detector holds crosses the split.
const split = at(100)
const end = at(400)
// In arrival order, as a file holds them.
const byArrival = (lines: EventLine[]) => lines.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
const before = byArrival([
  // Opened, and due only after the split (deadline 120).
  cartEvent(90, 'a1', 'c-due-after'),
  // Due at 96, with no line arriving between then and the split: pending across it, decided by the first line after.
  cartEvent(66, 'a2', 'c-pending'),
  // Abandoned before the split (at 40, decided on the line at 45); its visitor signs in, and the backend's order
  // after the split names only the user id.
  cartEvent(10, 'a3', 'c-recovered'),
  line(45, { type: 'identify', anonymousId: 'a3', userId: 'u3' }),
  // Ordered before the split: a stale snapshot after it, dated before the order, opens nothing.
  cartEvent(20, 'a4', 'c-ordered'),
  line(25, { event: 'Order Completed', anonymousId: 'a4', properties: { cart_id: 'c-ordered', order_id: 'o4' } }),
  // Another site's cart, due after the split.
  cartEvent(95, 'b1', 'c-other-site', { writeKey: 'blog' }),
])
const after = byArrival([
  line(110, { type: 'page', anonymousId: 'z9' }),
  line(130, { event: 'Order Completed', anonymousId: null, userId: 'u3', properties: { order_id: 'o3', value: 25 } }),
  cartEvent(22, 'a4', 'c-ordered', { receivedAt: at(140).toISOString() }),
  line(200, { type: 'page', anonymousId: 'z9', writeKey: 'blog' }),
])

let folder: string | undefined
afterEach(async () => {
  if (folder) await rm(folder, { recursive: true, force: true })
  folder = undefined
})

const fileOf = async (name: string, lines: EventLine[]): Promise<DataFile> => {
  folder ??= await mkdtemp(join(tmpdir(), 'spoor-checkpoint-'))
  const path = join(folder, name)
  await writeFile(path, lines.map((l) => JSON.stringify(l) + '\n').join(''))
  return { path, partition: '', hour: new Date(0), open: false }
}
const detector = (resumeFrom?: DetectorCheckpoint) =>
  createCartDetector({ windowMs, recoverWithinMs, ...(resumeFrom ? { resumeFrom } : {}) })
const decisions = (lines: EventLine[]) =>
  lines.map((l) => `${l.receivedAt} ${l.event} ${l.writeKey} ${l.properties.cart_id}`).sort()

describe("resuming the cart detector from a run's checkpoint", () => {
  it('decides after the split what one run over all the lines decides there', async () => {
    const first = await fileOf('first.ndjson', before)
    const second = await fileOf('second.ndjson', after)
    const whole = await detectInFiles(detector(), '', { now: end, files: [first, second] })
    let saved: DetectorCheckpoint | undefined
    await detectInFiles(detector(), '', { now: split, files: [first], onCheckpoint: (c) => (saved = c) })
    // Kept as a file keeps it.
    const kept = JSON.parse(JSON.stringify(saved)) as DetectorCheckpoint
    const resumed = await detectInFiles(detector(kept), '', { now: end, files: [second] })

    const later = whole.filter((l) => Date.parse(l.receivedAt) >= split.getTime())
    expect(decisions(resumed)).toEqual(decisions(later))
    // Every kind of state crossed: a cart due after the split, one pending at it, a recovery through a link made
    // before it, another site's cart; and no abandonment of the cart ordered before it.
    expect(decisions(resumed)).toEqual([
      `${at(110).toISOString()} Cart Abandoned shop c-pending`,
      `${at(130).toISOString()} Cart Abandoned blog c-other-site`,
      `${at(130).toISOString()} Cart Abandoned shop c-due-after`,
      // Handed out on the tick after the order's.
      `${at(140).toISOString()} Cart Recovered shop c-recovered`,
    ])
  })

  it("keeps one site's part for a run over that site's lines", async () => {
    const first = await fileOf('first.ndjson', before)
    const second = await fileOf('second.ndjson', after)
    // The checkpoint comes from a run over every site, as the compacted days' decisions do: the clock follows every
    // site's arrivals, as the collector's does.
    const whole = (await detectInFiles(detector(), '', { now: end, files: [first, second] })).filter(
      (l) => l.writeKey === 'shop',
    )
    let saved: DetectorCheckpoint | undefined
    await detectInFiles(detector(), '', { now: split, files: [first], onCheckpoint: (c) => (saved = c) })
    const shop = siteCheckpoint(saved!, 'shop')
    expect(shop.carts.map(([, cart]) => cart.writeKey)).not.toContain('blog')
    const resumed = await detectInFiles(detector(shop), '', { now: end, files: [second], writeKey: 'shop' })
    expect(decisions(resumed)).toEqual(decisions(whole.filter((l) => Date.parse(l.receivedAt) >= split.getTime())))
    expect(decisions(resumed).some((d) => d.includes('blog'))).toBe(false)
  })

  it('refuses a checkpoint taken with other durations', () => {
    const saved = detector().checkpoint()
    expect(() => createCartDetector({ windowMs: 60 * 60_000, recoverWithinMs, resumeFrom: saved })).toThrow(
      /checkpoint of its own version and durations/,
    )
  })
})
