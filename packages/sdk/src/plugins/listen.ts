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
  target.addEventListener(type, listener as EventListener, { signal: host.lifetime, capture, passive: true })
}
