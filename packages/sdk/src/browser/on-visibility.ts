/**
 * Calls `callback(true)` when the page is hidden (`visibilitychange`) or left (`pagehide`), `callback(false, restored)`
 * when it is visible again (`restored`: back from the back/forward cache). Hidden is the last event a page can count on: mobile systems kill background tabs without
 * `pagehide`, and `unload` would keep the page out of the back/forward cache. Both signals may fire for one
 * departure; the callback must cope with a repeat.
 */
export function onVisibility(callback: (hidden: boolean, restored?: boolean) => void): void {
  document.addEventListener('visibilitychange', () => callback(document.visibilityState === 'hidden'))
  addEventListener('pagehide', () => callback(true))
  addEventListener('pageshow', (event) => callback(false, event.persisted))
}
