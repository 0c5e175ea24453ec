// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  alias,
  cart,
  clicks,
  createTracker,
  devices,
  engagement,
  group,
  heatmaps,
  identifyField,
  media,
  nps,
  npsPrompt,
  pageviews,
  review,
  sessions,
  signOut,
  survey,
  webVitals,
} from '../src/index.js'
import { webVitalsAttribution } from '../src/plugins/web-vitals-attribution.js'

afterEach(() => vi.unstubAllGlobals())

// Server-side rendering evaluates an app's modules in Node, where there is no page: the module that makes the
// tracker and its plugins at module scope must load there, and the calls a render makes must do nothing.
describe('createTracker without a page (server-side rendering, workers, edge runtimes)', () => {
  it('makes its plugins and a tracker whose every call does nothing and sends nothing', async () => {
    const fetch = vi.fn()
    vi.stubGlobal('fetch', fetch)
    expect(typeof document).toBe('undefined')
    const spoor = createTracker({
      writeKey: 'KEY',
      endpoint: 'https://t.example.com',
      plugins: [
        pageviews(),
        sessions(),
        clicks(),
        media(),
        engagement(),
        heatmaps(),
        cart(),
        devices(),
        identifyField(),
        webVitals(),
        webVitalsAttribution(),
        npsPrompt({ after: 3, show: () => {} }),
      ],
    })
    spoor.identify('u1', { email: 'ada@example.com' })
    spoor.track('Signed Up', { plan: 'pro' })
    spoor.page()
    spoor.consent({ analytics: true })
    spoor.track('After consent')
    nps(spoor, 9, 'Fast delivery')
    survey(spoor, 's1', { q1: 'yes' })
    review(spoor, 'p1', 4)
    alias(spoor, 'u2')
    group(spoor, 'acme')
    signOut(spoor)
    expect(spoor.use({ name: 'mine', setup: () => expect.fail('set up without a page') })).toBe(spoor)
    await spoor.flush()
    spoor.reset()
    spoor.destroy()
    expect(spoor.dropped()).toBe(0)
    expect(fetch).not.toHaveBeenCalled()
  })

  it('does the same in a worker, which has a navigator and a location but no document', async () => {
    const fetch = vi.fn()
    vi.stubGlobal('fetch', fetch)
    vi.stubGlobal('navigator', { language: 'en' })
    vi.stubGlobal('location', new URL('https://shop.example/sw.js'))
    const spoor = createTracker({ writeKey: 'KEY', endpoint: 'https://t.example.com', plugins: [pageviews()] })
    spoor.track('From a worker')
    await spoor.flush()
    expect(fetch).not.toHaveBeenCalled()
  })
})
