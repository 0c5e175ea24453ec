import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { waitForEvents } from '../support/events.js'

const suite = useBrowserSuite()

describe('a page with a strict Content-Security-Policy', () => {
  it('logs no error, and its events carry the time zone', async () => {
    const context = await suite.browser.newContext({ timezoneId: 'Pacific/Chatham' })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(suite.site.url + '/capture/strict-csp.html?strict-csp')
    const from = (e: { context: { page?: { search?: string } } }) => e.context.page?.search === '?strict-csp'
    await waitForEvents(suite.collector.dataDir, (e) => e.type === 'page' && from(e))
    // The zone is read once the page is idle, and rides on the batches after.
    await page.waitForTimeout(500)
    await page.evaluate(() => (window as any).spoor('track', 'After Zone'))
    const [event] = await waitForEvents(suite.collector.dataDir, (e) => e.event === 'After Zone' && from(e))
    expect(event!.context.timezone).toBe('Pacific/Chatham')
    expect(errors).toEqual([])
    await context.close()
  })
})
