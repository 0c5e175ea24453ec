/**
 * Calls `callback` when the page is hidden (`visibilitychange`) or left (`pagehide`). Hidden is the last event a
 * page can count on: mobile systems kill background tabs without `pagehide`, and `unload` would keep the page out
 * of the back/forward cache. Both signals may fire for one departure; the callback must cope with a repeat.
 */
export function onHidden(callback: () => void): void {
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && callback())
  addEventListener('pagehide', callback)
}
