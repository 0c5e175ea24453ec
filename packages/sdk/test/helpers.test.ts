import { describe, expect, it } from 'vitest'
import { alias, group, signOut } from '../src/helpers/account.js'
import { nps, review, survey } from '../src/helpers/feedback.js'
import { devices } from '../src/plugins/devices.js'
import { pageTracker } from './capture-helpers.js'

describe('account helpers', () => {
  it('alias sends the previous id and makes the new one the user; group ties to an account; signOut resets', async () => {
    const { tracker, events } = pageTracker()
    tracker.track('Anonymous')
    alias(tracker, 'u-9')
    group(tracker, 'acme', { plan: 'team' })
    signOut(tracker)
    tracker.track('Next Person')
    const [anonymous, aliased, grouped, out, next] = await events()
    expect(aliased).toMatchObject({ type: 'alias', userId: 'u-9', previousId: anonymous!.anonymousId })
    expect(grouped).toMatchObject({ type: 'group', groupId: 'acme', traits: { plan: 'team' }, userId: 'u-9' })
    expect(out).toMatchObject({ event: 'Signed Out', userId: 'u-9' })
    expect(next!.userId).toBeUndefined()
    expect(next!.anonymousId).not.toBe(anonymous!.anonymousId)
  })
})

describe('feedback helpers', () => {
  it('validate scores and ratings with readable errors', () => {
    const { tracker } = pageTracker()
    expect(() => nps(tracker, 7.5)).toThrow('an NPS score is an integer from 0 to 10, not 7.5')
    expect(() => nps(tracker, -1)).toThrow(RangeError)
    expect(() => survey(tracker, '', {})).toThrow('a survey response needs a survey id and an object of answers')
    expect(() => review(tracker, 'p', 6)).toThrow('a review needs a product id and a rating from 0 to 5, not 6')
    expect(() => nps(tracker, 0)).not.toThrow()
  })
})

describe('devices', () => {
  it('adds client hints where the browser has them', async () => {
    Object.defineProperty(navigator, 'userAgentData', {
      value: { brands: [{ brand: 'Chromium', version: '143' }], mobile: false, platform: 'Linux' },
      configurable: true,
    })
    const { tracker, events } = pageTracker([devices()])
    tracker.track('X')
    expect((await events())[0]!.context!.userAgentData).toEqual({
      brands: [{ brand: 'Chromium', version: '143' }],
      mobile: false,
      platform: 'Linux',
    })
    Reflect.deleteProperty(navigator, 'userAgentData')
  })
})
