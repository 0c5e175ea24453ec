import { describe, expect, it } from 'vitest'
import { keys, linesByKey, openTab, settle, trackKeys, useDeliveryRig } from '../support/delivery-rig.js'
import { noFaults } from '../support/fault-proxy.js'

const rig = useDeliveryRig()
const holdMs = 4000
// Room for the page's timer and the test's own calls into the page.
const slackMs = 750

describe('events tracked while a send waits for a slow answer', () => {
  it('leave 2 s after they were tracked, or as soon as that answer came if it came later', async () => {
    const context = await rig.browser.newContext()
    const page = await openTab(rig, context, 'slow')
    // The page view of the load first, answered at once.
    const answered = () => rig.proxy.requests.some((r) => r.method === 'POST' && r.status === 200)
    await expect.poll(answered, { timeout: 10_000 }).toBe(true)
    rig.proxy.policy = { fault: () => 'hold', holdMs: () => holdMs }

    const [first] = keys('slow-first', 1)
    await trackKeys(page, [first!])
    const heldSend = () =>
      rig.proxy.requests.find((r) => r.method === 'POST' && r.fault === 'hold' && r.end === undefined)
    await expect.poll(heldSend, { timeout: 10_000 }).toBeDefined()
    const held = heldSend()!

    const during = keys('slow-during', 3)
    const trackedAt = performance.now()
    await trackKeys(page, during)

    const tally = await settle(rig, [first!, ...during], 15_000)
    const lines = await linesByKey(rig, during)
    const leftAt = during.map((key) => {
      const id = lines.get(key)?.messageId
      const carriers = rig.proxy.requests.filter((r) => id !== undefined && r.ids.includes(id))
      return Math.min(...carriers.map((r) => r.start))
    })
    const deadline = Math.max(trackedAt + 2000, held.end ?? Infinity) + slackMs
    console.log(
      'slow answer',
      JSON.stringify({ ...tally, lateByMs: leftAt.map((t) => Math.round(t - deadline + slackMs)) }),
    )
    expect(tally).toMatchObject({ lost: 0, duplicatedOnDisk: 0 })
    expect(leftAt.every((t) => t <= deadline)).toBe(true)
    rig.proxy.policy = noFaults
    await context.close()
  })
})
