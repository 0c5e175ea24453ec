import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { readEvents, waitForEvents } from '../support/events.js'
import { freshPage } from './capture-support.js'

const suite = useBrowserSuite()

describe('a single-page router that sets the title after it pushes the state', () => {
  it('records each page view with the title the page settles on', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/spa-title.html?router')
    const [landing] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.type === 'page' && e.context.page?.search === '?router',
    )
    const mine = (e: { anonymousId: string | null }) => e.anonymousId === landing!.anonymousId
    await page.click('#title-in-microtask')
    await page.waitForTimeout(600)
    await page.click('#title-in-timeout')
    await page.waitForTimeout(600)
    await page.click('#title-first')
    await page.waitForTimeout(600)
    await page.click('#back-in-timeout') // popstate back to /capture/spa-title/timeout
    await waitForEvents(suite.collector.dataDir, (e) => e.type === 'page' && mine(e), { count: 5 })
    const views = (await readEvents(suite.collector.dataDir)).filter((e) => e.type === 'page' && mine(e))
    expect(views.map((e) => [e.properties.path, e.properties.title])).toEqual([
      ['/capture/spa-title.html', 'Router home'],
      ['/capture/spa-title/microtask', 'Microtask page'],
      ['/capture/spa-title/timeout', 'Timeout page'],
      ['/capture/spa-title/first', 'First page'],
      ['/capture/spa-title/timeout', 'Back page'],
    ])
    await page.context().close()
  })

  it('still records the page view when the page is left before its title is set', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/spa-title.html?left')
    const [landing] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.type === 'page' && e.context.page?.search === '?left',
    )
    await page.click('#title-in-timeout')
    await page.goto('about:blank')
    const [view] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.anonymousId === landing!.anonymousId && e.properties.path === '/capture/spa-title/timeout',
    )
    expect(view!.type).toBe('page')
    await page.context().close()
  })
})
