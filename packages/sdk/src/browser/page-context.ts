import type { Context } from '@spoor/protocol'

/**
 * Builds the browser's part of every event's context: facts only the page can read, each read per event, because
 * single-page apps change the page. URLs go as the page has them: the collector redacts them. The time zone is the batch's (see
 * `time-zone.ts`); what the collector can read from the request (the user agent, client hints) or derive from
 * these facts (the page's path and query, visits, campaigns, a page event's properties), it does.
 */
export function createPageContext(): () => Context {
  return () => ({
    // Not left to the request's Accept-Language: Chromium's beacons carry none.
    locale: navigator.language,
    screen: { width: screen.width, height: screen.height, density: devicePixelRatio },
    // The collector reads the path and the query from the URL.
    page: { referrer: document.referrer, title: document.title, url: location.href },
  })
}
