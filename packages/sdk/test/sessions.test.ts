import { afterEach, describe, expect, it, vi } from 'vitest'
import { campaignFrom, sessions } from '../src/plugins/sessions.js'
import { pageTracker } from './capture-helpers.js'
import { memoryKeyValue } from './fakes.js'

afterEach(() => {
  vi.useRealTimers()
  history.replaceState(null, '', '/')
})

describe('sessions and campaigns', () => {
  it('maps utm_*, ad click ids and the email click id spoor_c', () => {
    expect(
      campaignFrom('?utm_campaign=spring&utm_source=news&gclid=g&fbclid=f&msclkid=m&ttclid=t&spoor_c=c&q=1'),
    ).toEqual({
      name: 'spring',
      source: 'news',
      gclid: 'g',
      fbclid: 'f',
      msclkid: 'm',
      ttclid: 't',
      spoor_c: 'c',
    })
    expect(campaignFrom('?utm_other=x')).toBeUndefined()
  })

  it('keeps the session and its campaign across pages, and starts a new one after 30 minutes or a new campaign', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const storage = memoryKeyValue()
    history.replaceState(null, '', '/landing?utm_source=news&spoor_c=click-1')
    const first = pageTracker([sessions()], { storage })
    first.tracker.page()
    history.replaceState(null, '', '/product')
    vi.advanceTimersByTime(29 * 60_000)
    first.tracker.track('Product Viewed')
    vi.advanceTimersByTime(31 * 60_000)
    first.tracker.track('Came Back')
    history.replaceState(null, '', '/?utm_source=ads&gclid=g2')
    first.tracker.page()
    const [landing, viewed, back, ad] = (await first.events()).map((e) => e.context!)
    expect(landing!.session).toEqual({ id: expect.any(String), number: 1 })
    expect(viewed).toMatchObject({ session: landing!.session, campaign: { source: 'news', spoor_c: 'click-1' } })
    expect(back!.session).toEqual({ id: expect.not.stringMatching((landing!.session as { id: string }).id), number: 2 })
    expect(back!.campaign).toBeUndefined()
    expect(ad!.session).toMatchObject({ number: 3 })
    expect(ad!.campaign).toEqual({ source: 'ads', gclid: 'g2' })
    // First touch stays the first ever seen on the device.
    expect(ad!.first_campaign).toEqual({ source: 'news', spoor_c: 'click-1' })
    expect(JSON.parse(storage.map.get('spoor.session')!)).toMatchObject({ number: 3 })
  })
})
