import type { Plugin } from '../core/plugin.js'
import { uuid } from '../core/uuid.js'
import { listen } from './listen.js'

/**
 * Records HTML5 `<video>` and `<audio>` playback with the Segment video events: `Video Playback Started`, `Paused`,
 * `Resumed`, `Completed`, and `Video Content Playing` every `heartbeat` ms while playing. Media events do not
 * bubble, so one capturing listener on the document hears every player, present or added later.
 *
 * @param heartbeat ms between `Video Content Playing` events (default 10,000)
 * @example
 * createTracker({ writeKey, endpoint, plugins: [media()] })
 */
export const media = (heartbeat = 10_000): Plugin => ({
  name: 'media',
  setup(tracker) {
    // Per player: its playback session id (a new one after it ended) and when it last reported.
    const state = new WeakMap<HTMLMediaElement, { id?: string; at: number }>()
    const report = (element: HTMLMediaElement, event: string) => {
      const live = element.duration === Infinity
      tracker.track('Video ' + event, {
        session_id: state.get(element)!.id!,
        content_asset_id: element.id || tracker._redact(element.currentSrc),
        position: Math.round(element.currentTime),
        total_length: live ? null : Math.round(element.duration) || null,
        sound: Math.round(element.volume * 100),
        muted: element.muted,
        livestream: live,
        media_type: element.localName,
        video_player: 'html5',
      })
      state.get(element)!.at = Date.now()
    }
    const on = (type: string, handle: (element: HTMLMediaElement, s: { id?: string; at: number }) => void) =>
      listen(tracker, document, type, (event) => {
        const element = event.target
        if (!(element instanceof HTMLMediaElement)) return
        if (!state.has(element)) state.set(element, { at: 0 })
        handle(element, state.get(element)!)
      }, true)
    on('play', (element, s) => {
      const resumed = !!s.id
      s.id ??= uuid()
      report(element, resumed ? 'Playback Resumed' : 'Playback Started')
    })
    // A pause fires just before `ended` too: that one is a completion, not a pause.
    on('pause', (element) => element.ended || report(element, 'Playback Paused'))
    on('ended', (element, s) => {
      report(element, 'Playback Completed')
      s.id = undefined
    })
    on('timeupdate', (element, s) => !element.paused && Date.now() - s.at >= heartbeat && report(element, 'Content Playing'))
  },
})
