import type { Context } from '@spoor/protocol'

/**
 * Builds the browser's part of every event's context. What cannot change during a page's life is read once;
 * the page itself is read per event, because single-page apps change it. Every URL goes through `redact`.
 */
export function createPageContext(redact: (url: string) => string): () => Context {
  let timezone: string | undefined
  // The first Intl.DateTimeFormat of a page loads the browser's time zone data: 30–60 ms in Chromium. It gets a
  // task of its own, right after start, so that it lengthens neither the script's evaluation nor an event's task.
  const zone = () => (timezone ??= Intl.DateTimeFormat().resolvedOptions().timeZone)
  setTimeout(zone)
  return () => ({
    userAgent: navigator.userAgent,
    locale: navigator.language,
    timezone: zone(),
    screen: { width: screen.width, height: screen.height, density: devicePixelRatio },
    page: {
      path: location.pathname,
      referrer: redact(document.referrer),
      search: redact(location.search),
      title: document.title,
      url: redact(location.href),
    },
  })
}
