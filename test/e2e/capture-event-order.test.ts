import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { waitForEvents } from '../support/events.js'
import { freshPage } from './capture-support.js'

const suite = useBrowserSuite()

describe('events tracked in the same millisecond', () => {
  it('keep their call order in the times the collector writes', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/index.html?burst')
    await waitForEvents(suite.collector.dataDir, (e) => e.type === 'page' && e.context.page?.search === '?burst')
    // One task: the calls come within a millisecond or two.
    await page.evaluate(() => {
      for (let i = 0; i < 10; i++) (window as any).spoor('track', 'Burst', { i })
    })
    const burst = await waitForEvents(suite.collector.dataDir, (e) => e.event === 'Burst', { count: 10 })
    // What a report does: order by time.
    const byTime = [...burst].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp))
    expect(byTime.map((e) => e.properties.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(new Set(burst.map((e) => e.timestamp)).size).toBe(10)
    expect(new Set(burst.map((e) => e.originalTimestamp)).size).toBe(10)
    // No event says it happened after it was sent: the collector would count the client's clock as wrong.
    for (const e of burst) expect(Date.parse(e.originalTimestamp!)).toBeLessThanOrEqual(Date.parse(e.sentAt!))
    await page.context().close()
  })
})
