import { createStore, promisifyRequest } from 'idb-keyval'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTracker, sessions } from '../src/index.js'
import { campaignFrom } from '../src/plugins/sessions.js'
import { sharedLock } from './fakes.js'

type Sent = { url: string; body: any }

function stubFetch(status = 200) {
  const sent: Sent[] = []
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    sent.push({ url, body: JSON.parse(init.body as string) })
    return new Response('{}', { status })
  })
  vi.stubGlobal('fetch', fetch)
  return { sent, fetch }
}

const stored = async (writeKey: string) => {
  const db = createStore('spoor:' + writeKey, 'queue')
  return db('readonly', (s) => promisifyRequest(s.getAll()))
}

afterEach(() => {
  vi.unstubAllGlobals()
  localStorage.clear()
})

describe('createTracker in a browser', () => {
  it('sends the page’s first event at once, stores each later one in IndexedDB before sending, and removes it once acknowledged', async () => {
    const { sent, fetch } = stubFetch()
    const tracker = createTracker({ writeKey: 'k1', endpoint: 'https://t.example/' })
    tracker.page()
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1))
    expect(sent[0]!.url).toBe('https://t.example/v1/batch')
    tracker.track('Signed Up', { plan: 'pro' })
    await vi.waitFor(async () => expect((await stored('k1')).map((e: any) => e.event.event)).toEqual(['Signed Up']))
    expect(fetch).toHaveBeenCalledTimes(1)
    await tracker.flush()
    expect(sent[1]!.body.batch[0]).toMatchObject({ event: 'Signed Up', properties: { plan: 'pro' } })
    expect(await stored('k1')).toEqual([])
  })

  it('sends text/plain with keepalive and no credentials, so no preflight is needed', async () => {
    const { fetch } = stubFetch()
    const tracker = createTracker({ writeKey: 'k2', endpoint: 'https://t.example' })
    tracker.track('X')
    await tracker.flush()
    const init = fetch.mock.calls[0]![1]
    expect(init).toMatchObject({ method: 'POST', keepalive: true, credentials: 'omit' })
    expect(init.headers).toBeUndefined()
    expect(typeof init.body).toBe('string')
  })

  it('leaves events in IndexedDB when the collector is down; the next page sends them', async () => {
    stubFetch(503)
    const first = createTracker({ writeKey: 'k3', endpoint: 'https://t.example' })
    first.track('While Down')
    await vi.waitFor(async () => expect(await stored('k3')).toHaveLength(1))
    await first.flush()
    expect(await stored('k3')).toHaveLength(1)
    const { sent } = stubFetch(200)
    const next = createTracker({ writeKey: 'k3', endpoint: 'https://t.example' })
    await next.flush()
    expect(sent.flatMap((s) => s.body.batch.map((e: any) => e.event))).toEqual(['While Down'])
    expect(await stored('k3')).toEqual([])
    // The first tracker still holds a retry timer from the 503; flushing it now (nothing left to send) clears that
    // timer, so it cannot fire after this file's DOM is gone.
    await first.flush()
    expect(sent).toHaveLength(1)
  })

  it('records the page, screen and library in each event’s context (campaign with the sessions plugin), and the remembered time zone per batch', async () => {
    const { sent } = stubFetch()
    history.replaceState(null, '', '/shop?utm_source=news&utm_campaign=spring&utm_medium=email&token=s3cret')
    document.title = 'Shop'
    // A returning device: its time zone was read on an earlier visit.
    localStorage.setItem('spoor.tz', 'Europe/Paris')
    const tracker = createTracker({ writeKey: 'k4', endpoint: 'https://t.example', plugins: [sessions()] })
    tracker.page()
    await vi.waitFor(() => expect(sent).toHaveLength(1))
    expect(sent[0]!.body.context).toEqual({ timezone: 'Europe/Paris' })
    const context = sent[0]!.body.batch[0].context
    expect(context).toEqual({
      page: {
        referrer: '',
        title: 'Shop',
        url: location.origin + '/shop?utm_source=news&utm_campaign=spring&utm_medium=email&token=redacted',
      },
      campaign: { source: 'news', name: 'spring', medium: 'email' },
      first_campaign: { source: 'news', name: 'spring', medium: 'email' },
      session: { id: expect.any(String), number: 1 },
      library: { name: 'spoor', version: expect.any(String) },
      locale: navigator.language,
      screen: { width: screen.width, height: screen.height, density: devicePixelRatio },
    })
  })
})

describe('campaignFrom', () => {
  it('maps utm parameters to Segment campaign fields and ignores the rest', () => {
    expect(campaignFrom('?utm_term=shoes&utm_content=hero&q=1')).toEqual({ term: 'shoes', content: 'hero' })
    expect(campaignFrom('?q=1')).toBeUndefined()
  })
})

describe('a tracker destroyed and made again (hot reloading)', () => {
  it('sends what waited at destroy(), and beacons nothing as the page hides: its successor may be sending it', async () => {
    const { sent } = stubFetch()
    // Chromium's Web Locks, which make the two trackers' sends take turns; happy-dom has none that holds.
    const lock = sharedLock()
    Object.defineProperty(navigator, 'locks', {
      value: { request: (_name: string, task: () => Promise<unknown>) => lock(task) },
      configurable: true,
    })
    const options = { writeKey: 'k-hot', endpoint: 'https://t.example', flushInterval: 60_000 }
    const before = createTracker(options)
    before.track('First')
    await vi.waitFor(() => expect(sent).toHaveLength(1))
    before.track('Left Behind')
    await vi.waitFor(async () =>
      expect((await stored('k-hot')).map((e: any) => e.event.event)).toEqual(['Left Behind']),
    )
    // From now on the collector does not answer: whatever is sent by fetch stays in flight.
    const fetched: string[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        fetched.push(...JSON.parse(init.body as string).batch.map((e: any) => e.event))
        return new Promise<Response>(() => {})
      }),
    )
    const beaconed: string[] = []
    vi.spyOn(navigator, 'sendBeacon').mockImplementation((_url, body) => {
      beaconed.push(...JSON.parse(body as string).batch.map((e: any) => e.event))
      return true
    })
    before.destroy()
    const after = createTracker(options)
    // Its start-up flush, as a second after it is made.
    void after.flush()
    await vi.waitFor(() => expect(fetched).toEqual(['Left Behind']))
    Object.defineProperty(document, 'hidden', { value: true, configurable: true })
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))
    Reflect.deleteProperty(document, 'hidden')
    expect(beaconed).toEqual([])
    dispatchEvent(new Event('online'))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(fetched).toEqual(['Left Behind'])
    after.destroy()
    vi.restoreAllMocks()
    Reflect.deleteProperty(navigator, 'locks')
  })
})
