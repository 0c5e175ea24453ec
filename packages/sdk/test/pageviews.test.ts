import { afterEach, describe, expect, it } from 'vitest'
import { pageviews } from '../src/plugins/pageviews.js'
import { pageTracker, tick } from './capture-helpers.js'

afterEach(() => history.replaceState(null, '', '/'))

/** A navigation's view waits 300 ms for the page's title. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 350))

describe('pageviews', () => {
  it('records the load once, after calls the page queued before (a manual page() stands in for it)', async () => {
    history.replaceState(null, '', '/start')
    const { tracker, events } = pageTracker([pageviews()])
    tracker.page()
    await tick()
    expect((await events()).filter((e) => e.type === 'page')).toHaveLength(1)
  })

  it('records a back/forward cache restore as a new view of the same page', async () => {
    history.replaceState(null, '', '/cached')
    const { events, tracker } = pageTracker([pageviews()])
    await tick()
    dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }))
    dispatchEvent(Object.assign(new Event('pageshow'), { persisted: false }))
    expect((await events()).map((e) => e.context!.page!.path)).toEqual(['/cached', '/cached'])
    tracker.destroy()
  })

  it('waits for a prerendered page to be shown', async () => {
    Object.defineProperty(document, 'prerendering', { value: true, configurable: true })
    const { events, tracker } = pageTracker([pageviews()])
    await tick()
    expect(await events()).toEqual([])
    Object.defineProperty(document, 'prerendering', { value: false, configurable: true })
    document.dispatchEvent(new Event('prerenderingchange'))
    expect(await events()).toHaveLength(1)
    tracker.destroy()
  })

  it('counts fragment changes only with hash: true', async () => {
    history.replaceState(null, '', '/app')
    const { events, tracker } = pageTracker([pageviews({ hash: true })])
    await tick()
    history.pushState(null, '', '/app#/settings')
    history.pushState(null, '', '/app#/settings')
    dispatchEvent(new Event('hashchange'))
    await settled()
    expect((await events()).map((e) => e.context!.page!.url)).toEqual([
      'http://localhost:3000/app',
      'http://localhost:3000/app#/settings',
    ])
    tracker.destroy()
  })

  it('records a navigation with the title the router sets after it pushes, and at once when the page is hidden', async () => {
    history.replaceState(null, '', '/list')
    document.title = 'List'
    const { events, tracker } = pageTracker([pageviews()])
    await tick()
    history.pushState(null, '', '/item')
    await Promise.resolve()
    document.title = 'Item'
    await settled()
    history.pushState(null, '', '/other')
    document.dispatchEvent(new Event('visibilitychange'))
    expect((await events()).map((e) => [e.context!.page!.path, e.context!.page!.title])).toEqual([
      ['/list', 'List'],
      ['/item', 'Item'],
      ['/other', 'Item'],
    ])
    tracker.destroy()
  })

  it('stops listening on teardown', async () => {
    const { events, tracker } = pageTracker([pageviews()])
    await tick()
    tracker.destroy()
    history.pushState(null, '', '/after-teardown')
    expect(await events()).toHaveLength(1)
  })
})
