import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../support/browser-suite.js'
import { readEvents, waitForEvents } from '../support/events.js'
import { freshPage, queuedInPage, spoorKeys } from './capture-support.js'

const suite = useBrowserSuite()

const batchesFrom = (search: string) =>
  suite.collector.requests.filter((r) => r.path === '/v1/batch' && r.body.includes(search))

describe('Global Privacy Control', () => {
  it('is honoured by default: nothing is sent and nothing is stored', async () => {
    const page = await freshPage(suite.browser)
    await page.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
    )
    await page.goto(suite.site.url + '/capture/article.html?gpc-on')
    await page.click('#track')
    await page.mouse.wheel(0, 500)
    await page.waitForTimeout(2500)
    expect(await queuedInPage(page)).toBeNull()
    expect(await spoorKeys(page)).toEqual([])
    await page.goto('about:blank')
    await page.waitForTimeout(500)
    expect(batchesFrom('gpc-on')).toEqual([])
    expect((await readEvents(suite.collector.dataDir)).filter((e) => e.context.page?.search === '?gpc-on')).toEqual([])
    await page.context().close()
  })
})

describe('consent', () => {
  it('revoked: purges the queue and every stored identifier, and nothing queued is ever sent', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/article.html?revoke')
    await waitForEvents(suite.collector.dataDir, (e) => e.type === 'page' && e.context.page?.search === '?revoke')
    await suite.collector.stop()
    await page.click('#track')
    await page.evaluate(() => (window as any).spoor('identify', 'u-revoked', { email: 'revoked@example.com' }))
    await page.waitForTimeout(300)
    expect((await queuedInPage(page))!.map((q) => q.event.event ?? q.event.type)).toEqual(
      expect.arrayContaining(['Article Liked', 'identify']),
    )
    // Visits are the collector's to count: the device keeps identity, and its time zone once read.
    expect(await spoorKeys(page)).toEqual(expect.arrayContaining(['spoor.aid', 'spoor.uid', 'spoor.traits']))

    await page.evaluate(() => (window as any).spoor('consent', { analytics: false }))
    await page.waitForTimeout(300)
    expect(await queuedInPage(page)).toEqual([])
    expect(await spoorKeys(page)).toEqual([])
    await page.click('#track')
    await suite.collector.start()
    await page.goto('about:blank')
    await page.waitForTimeout(3000)
    const events = await readEvents(suite.collector.dataDir)
    expect(events.filter((e) => e.event === 'Article Liked' && e.context.page?.search === '?revoke')).toEqual([])
    expect(events.filter((e) => e.userId === 'u-revoked')).toEqual([])
    await page.context().close()
  })

  it('pending: keeps calls in memory only, then sends them once granted', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/pending.html?pending')
    await page.click('#track')
    await page.waitForTimeout(2500)
    expect(await queuedInPage(page)).toBeNull()
    expect(await spoorKeys(page)).toEqual([])
    expect(batchesFrom('?pending')).toEqual([])

    await page.click('#accept')
    const [early] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Before Consent' && e.context.page?.search === '?pending',
    )
    const [view] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.type === 'page' && e.context.page?.search === '?pending',
    )
    // The calls keep the time they were made, and share the identity now stored.
    expect(Date.parse(view!.originalTimestamp!)).toBeLessThan(Date.parse(early!.originalTimestamp!))
    expect(early!.anonymousId).toBe(view!.anonymousId)
    expect(await spoorKeys(page)).toEqual(expect.arrayContaining(['spoor.aid']))
    await page.context().close()
  })

  it('cookieless: sends events while storing nothing on the device', async () => {
    const page = await freshPage(suite.browser)
    await page.goto(suite.site.url + '/capture/cookieless.html?cookieless')
    await page.click('#track')
    const [event] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.event === 'Cookieless Event' && e.context.page?.search === '?cookieless',
    )
    const [view] = await waitForEvents(
      suite.collector.dataDir,
      (e) => e.type === 'page' && e.context.page?.search === '?cookieless',
    )
    expect(event!.anonymousId).toBe(view!.anonymousId)
    expect(await queuedInPage(page)).toBeNull()
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toEqual([])
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([])
    await page.context().close()
  })
})
