import { afterEach, describe, expect, it, vi } from 'vitest'
import { media } from '../src/plugins/media.js'
import { pageTracker } from './capture-helpers.js'

afterEach(() => vi.useRealTimers())

/** A <video> whose playback state the test sets, as the browser would. */
function player(state: Partial<Record<'currentTime' | 'duration' | 'paused' | 'ended', number | boolean>>) {
  const video = document.createElement('video')
  video.id = 'intro'
  document.body.append(video)
  const set = (next: typeof state) => {
    for (const [key, value] of Object.entries(next)) Object.defineProperty(video, key, { value, configurable: true })
  }
  set(state)
  return { video, set, fire: (type: string) => video.dispatchEvent(new Event(type)) }
}

describe('media', () => {
  it('sends a Video Content Playing heartbeat every 10 s of playing, and nothing while paused', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const { tracker, events } = pageTracker([media()])
    const { video, set, fire } = player({ currentTime: 0, duration: 60, paused: false, ended: false })
    fire('play')
    for (let second = 1; second <= 25; second++) {
      vi.advanceTimersByTime(1000)
      set({ currentTime: second })
      fire('timeupdate')
    }
    set({ paused: true })
    fire('pause')
    vi.advanceTimersByTime(20_000)
    fire('timeupdate')
    const sent = await events()
    expect(sent.map((e) => [e.event, e.properties!.position])).toEqual([
      ['Video Playback Started', 0],
      ['Video Content Playing', 10],
      ['Video Content Playing', 20],
      ['Video Playback Paused', 25],
    ])
    expect(sent[1]!.properties).toMatchObject({
      content_asset_id: 'intro',
      total_length: 60,
      livestream: false,
      media_type: 'video',
    })
    tracker.destroy()
    video.remove()
  })

  it('marks a livestream, with no total length', async () => {
    const { tracker, events } = pageTracker([media()])
    const { video, fire } = player({ currentTime: 5, duration: Infinity, paused: false })
    fire('play')
    expect((await events())[0]!.properties).toMatchObject({ livestream: true, total_length: null })
    tracker.destroy()
    video.remove()
  })
})
