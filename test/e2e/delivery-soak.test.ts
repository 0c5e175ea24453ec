import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { keys, openTab, settle, trackKeys, useDeliveryRig } from '../support/delivery-rig.js'
import { readEvents } from '../support/events.js'
import { concurrentCopies, noFaults, randomFaults, seededRandom } from '../support/fault-proxy.js'

// `SPOOR_SOAK_MS=300000 npx vitest run test/e2e/delivery-soak.test.ts` for a longer run; `SPOOR_SOAK_SEED` to
// repeat one.
const soakMs = Number(process.env.SPOOR_SOAK_MS ?? 90_000)
const seed = Number(process.env.SPOOR_SOAK_SEED ?? Date.now() % 1e6)
const rig = useDeliveryRig()

describe('a few minutes of visitors through a proxy failing a fifth of the requests', () => {
  it(
    'loses no event and writes none twice',
    async () => {
      const random = seededRandom(seed)
      const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!
      const count = (most: number) => 1 + Math.floor(random() * most)
      rig.proxy.policy = randomFaults(random)
      // Enough visitors that none keeps 1,000 events waiting (the queue's cap, past which it drops the oldest):
      // a closed or offline tab leaves its events to the visitor's next tab.
      const visitorCount = Math.max(3, Math.ceil(soakMs / 10_000))
      const visitors: BrowserContext[] = await Promise.all(
        Array.from({ length: visitorCount }, () => rig.browser.newContext()),
      )
      const tracked: string[] = []
      const scenarios: Record<string, number> = {}
      let next = 0
      const scenarioOf = new Map<string, string>()
      let current = ''
      const fresh = (n: number) => {
        scenarioOf.set(`soak-${next}`, current)
        const batch = keys(`soak-${next++}`, n)
        tracked.push(...batch)
        return batch
      }
      // In-page pacing: a visitor's events come a few at a time, not all in one task.
      const trackPaced = (page: Page, batch: string[]) =>
        page.evaluate(async (batch) => {
          for (const key of batch) {
            ;(window as any).spoor('track', 'Delivery Check', { key })
            await new Promise((resolve) => setTimeout(resolve, 30))
          }
        }, batch)

      const run: Record<string, (context: BrowserContext) => Promise<void>> = {
        async steady(context) {
          const page = await openTab(rig, context, 'steady')
          await trackPaced(page, fresh(count(40)))
          await page.goto('about:blank')
          await page.close()
        },
        async reload(context) {
          const page = await openTab(rig, context, 'reload')
          await trackKeys(page, fresh(20 + count(10)))
          await page.reload()
          await page.waitForFunction(() => (window as any).spoor?.tracker)
          await trackKeys(page, fresh(count(5)))
          await page.close()
        },
        async close(context) {
          const page = await openTab(rig, context, 'close')
          await trackKeys(page, fresh(count(45)))
          await page.close()
        },
        async offline(context) {
          const page = await openTab(rig, context, 'offline')
          await context.setOffline(true)
          await trackKeys(page, fresh(count(20)))
          await page.close()
          await context.setOffline(false)
        },
        async 'two tabs'(context) {
          const tabs = await Promise.all([openTab(rig, context, 'tab-a'), openTab(rig, context, 'tab-b')])
          await Promise.all(tabs.map((tab) => trackPaced(tab, fresh(count(20)))))
          await tabs[0]!.close()
          await trackKeys(tabs[1]!, fresh(count(10)))
          await tabs[1]!.close()
        },
      }

      const started = performance.now()
      let downs = 0
      // The collector unreachable for 10 s, a quarter into the run and then every minute.
      const outages = (async () => {
        for (let at = soakMs / 4; at < soakMs; at += 60_000) {
          await new Promise((resolve) => setTimeout(resolve, started + at - performance.now()))
          rig.proxy.down = true
          downs++
          await new Promise((resolve) => setTimeout(resolve, 10_000))
          rig.proxy.down = false
        }
      })()
      while (performance.now() - started < soakMs) {
        const name = pick(Object.keys(run))
        scenarios[name] = (scenarios[name] ?? 0) + 1
        current = name
        await run[name]!(pick(visitors))
      }
      await outages

      // Every visitor comes back once more, on a healthy network, and sends what its earlier tabs left.
      rig.proxy.policy = noFaults
      await Promise.all(visitors.map((visitor) => openTab(rig, visitor, 'return')))
      const tally = await settle(rig, tracked, 150_000)
      const lines = await readEvents(rig.dataDir)
      const ids = lines.map((line) => line.messageId)
      const concurrent = new Set(concurrentCopies(rig.proxy.requests))
      const twiceOnDisk = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))]
      const onDisk = new Set(lines.map((line) => (line.properties as { key?: string }).key))
      const lostBy: Record<string, number> = {}
      for (const key of tracked.filter((key) => !onDisk.has(key))) {
        const scenario = scenarioOf.get(key.replace(/-\d+$/, ''))!
        lostBy[scenario] = (lostBy[scenario] ?? 0) + 1
      }
      const faults: Record<string, number> = {}
      for (const request of rig.proxy.requests) faults[request.fault] = (faults[request.fault] ?? 0) + 1
      console.log(
        'soak',
        JSON.stringify({
          seed,
          seconds: Math.round((performance.now() - started) / 1000),
          scenarios,
          collectorDown: downs,
          requests: rig.proxy.requests.length,
          faults,
          ...tally,
          lostBy,
          linesOnDisk: lines.length,
          // Every event on disk, page views included: the same messageId on two lines.
          duplicatedOnDiskAll: ids.length - new Set(ids).size,
          duplicatedOnDiskConcurrent: twiceOnDisk.filter((id) => concurrent.has(id)).length,
        }),
      )
      expect(tally.lost).toBe(0)
      expect(ids.length - new Set(ids).size).toBe(0)
      await Promise.all(visitors.map((visitor) => visitor.close()))
    },
    soakMs + 240_000,
  )
})
