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
    const players = new WeakMap<HTMLMediaElement, { id?: string; at: number }>()
    for (const type of ['play', 'pause', 'ended', 'timeupdate']) {
      listen(
        tracker,
        document,
        type,
        ({ target: element }) => {
          if (!(element instanceof HTMLMediaElement)) return
          const player = players.get(element) ?? { at: 0 }
          players.set(element, player)
          const report = (event: string) => {
            const live = element.duration == Infinity
            player.id ??= uuid()
            player.at = Date.now()
            tracker.track('Video ' + event, {
              session_id: player.id,
              content_asset_id: element.id || element.currentSrc,
              position: Math.round(element.currentTime),
              total_length: live ? null : Math.round(element.duration) || null,
              sound: Math.round(element.volume * 100),
              muted: element.muted,
              livestream: live,
              media_type: element.localName,
              video_player: 'html5',
            })
          }
          if (type == 'play') report(player.id ? 'Playback Resumed' : 'Playback Started')
          // A pause fires just before `ended` too: that one is a completion, not a pause.
          else if (type == 'pause') element.ended || report('Playback Paused')
          else if (type == 'ended') {
            report('Playback Completed')
            player.id = undefined
          } else if (!element.paused && Date.now() - player.at >= heartbeat) report('Content Playing')
        },
        true,
      )
    }
  },
})
