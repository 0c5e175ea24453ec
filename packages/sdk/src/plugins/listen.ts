import { inSnippet } from '../core/build-flags.js'
import type { PluginHost } from '../core/tracker.js'

/**
 * Adds a passive listener that goes away when the tracker is destroyed (its `lifetime` aborts). Passive, because
 * capture never cancels anything and must not hold a scroll or a touch back.
 */
export function listen<E extends Event>(
  host: PluginHost,
  target: EventTarget,
  type: string,
  listener: (event: E) => void,
  capture?: boolean,
): void {
  // A script tag is never destroyed: it has no lifetime to pass (11 bytes of spoor.js).
  target.addEventListener(
    type,
    listener as EventListener,
    inSnippet ? { capture, passive: true } : { signal: host.lifetime, capture, passive: true },
  )
}
