import { describe, expect, it } from 'vitest'
import { keys, openTab, settle, trackKeys, useDeliveryRig } from '../support/delivery-rig.js'
import { noFaults } from '../support/fault-proxy.js'

const rig = useDeliveryRig()
// Each test repeats its departure this many times: the windows are milliseconds wide.
const rounds = 5

describe('events tracked as a page goes away, through the fault proxy', () => {
  it('are sent by one page once, though it is reloaded while a full batch is being sent', async () => {
    // Every answer held 300 ms: two copies sent by one page within that time are in flight together.
    rig.proxy.policy = { fault: () => 'hold', holdMs: () => 300 }
    const context = await rig.browser.newContext()
    const page = await openTab(rig, context, 'reload')
    const tracked: string[] = []
    for (let round = 0; round < rounds; round++) {
      // Past the 20 that start a send at once: the send reads the queue while the page is being left.
      const batch = keys(`reload-${round}`, 25)
      tracked.push(...batch)
      await trackKeys(page, batch)
      await page.reload()
      // The next round once this one is delivered: copies sent by two pages at once are not what this counts.
      await settle(rig, tracked)
    }
    const tally = await settle(rig, tracked)
    console.log('reload', JSON.stringify(tally))
    // Sent again by the next page (a beacon gets no answer) is allowed; two copies at once, or twice on disk, not.
    expect(tally).toMatchObject({ lost: 0, concurrent: 0, duplicatedOnDisk: 0 })
    rig.proxy.policy = noFaults
    await context.close()
  })

  it('are kept by a tab closed within milliseconds of tracking while its requests are dropped, and sent by the next tab', async () => {
    const context = await rig.browser.newContext()
    const tracked: string[] = []
    for (let round = 0; round < rounds; round++) {
      const page = await openTab(rig, context, 'close')
      const batch = keys(`close-${round}`, 45)
      tracked.push(...batch)
      // Whatever this tab sends from now on (its fetch, its beacons) is dropped before reaching the collector.
      rig.proxy.policy = { fault: () => 'drop-before' }
      await trackKeys(page, batch)
      await page.close()
      rig.proxy.policy = noFaults
    }
    await openTab(rig, context, 'after-close')
    const tally = await settle(rig, tracked)
    console.log('close', JSON.stringify(tally))
    expect(tally).toMatchObject({ lost: 0, concurrent: 0, duplicatedOnDisk: 0 })
    await context.close()
  })

  it('are kept by a tab closed while offline, and sent by a later tab online', async () => {
    const context = await rig.browser.newContext()
    const tracked: string[] = []
    for (let round = 0; round < 2 * rounds; round++) {
      const page = await openTab(rig, context, 'offline')
      const batch = keys(`offline-${round}`, 20)
      tracked.push(...batch)
      await context.setOffline(true)
      await trackKeys(page, batch)
      await page.close()
      await context.setOffline(false)
    }
    await openTab(rig, context, 'after-offline')
    const tally = await settle(rig, tracked)
    console.log('offline', JSON.stringify(tally))
    expect(tally).toMatchObject({ lost: 0, concurrent: 0, duplicatedOnDisk: 0 })
    await context.close()
  })
})
