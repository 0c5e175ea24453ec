/**
 * Adds a passive listener that goes away when `signal` aborts: each plugin's teardown is one `abort()`.
 * Passive, because capture never cancels anything and must not hold a scroll or a touch back.
 */
export function listen<E extends Event>(
  target: EventTarget,
  type: string,
  listener: (event: E) => void,
  signal: AbortSignal,
  capture?: boolean,
): void {
  target.addEventListener(type, listener as EventListener, { signal, capture, passive: true })
}
