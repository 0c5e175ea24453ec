/**
 * Calls `callback(true)` when the page is hidden (`visibilitychange`) or left (`pagehide`), `callback(false)` when it
 * is shown again (`visibilitychange`, `pageshow`). Hidden is the last event a page can count on: mobile systems
 * kill background tabs without `pagehide`, and `unload` would keep the page out of the back/forward cache. Both
 * signals may fire for one departure; the callback must cope with a repeat.
 */
export function onVisibility(callback: (hidden: boolean) => void): void {
  // visibilitychange bubbles from the document to the window.
  for (const type of ['visibilitychange', 'pagehide', 'pageshow']) addEventListener(type, () => callback(type == 'pagehide' || document.hidden))
}
