import type { Context } from '@spoor/protocol'

/**
 * Builds the browser's part of every event's context. What cannot change during a page's life is read once;
 * the page itself is read per event, because single-page apps change it. Every URL goes through `redact`.
 */
export function createPageContext(redact: (url: string) => string): () => Context {
  const fixed: Context = {
    userAgent: navigator.userAgent,
    locale: navigator.language,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    screen: { width: screen.width, height: screen.height, density: devicePixelRatio },
  }
  return () => ({
    ...fixed,
    page: {
      path: location.pathname,
      referrer: redact(document.referrer),
      search: redact(location.search),
      title: document.title,
      url: redact(location.href),
    },
  })
}
