import { Hono } from 'hono'
import { filledQuery } from './filled-query.js'
import { type EmailRouteContext, recordEmailEvent } from './record-email-event.js'
import { resolveClick, withClickId } from './resolve-click.js'
import { emailPaths } from './tracking-urls.js'

// Each click must reach the collector: neither the browser nor a proxy may answer it from a cache.
const noStore = { 'Cache-Control': 'no-store' }

/**
 * `GET`/`HEAD /email/c?…&s=SIGNATURE`: verifies the link's signature (HMAC-SHA256, every configured key, constant
 * time), records `Email Link Clicked`, classified, and answers 302 to the signed destination with
 * `spoor_c=<the click's messageId>` appended when it is a page of the site (one of its `origins`, the collector's own
 * origin, any page for a site that lists none), for the site's snippet to carry to a conversion; another site's page is left exactly as written. A bad or missing
 * signature answers 404 and redirects nowhere (`email_click_refused`). A click that could not be recorded still
 * leads to its destination, without `spoor_c` (`email_click_record_failures`). No cookie is read or set.
 */
export function clickRoute(route: EmailRouteContext): Hono {
  const app = new Hono()
  app.on(['GET', 'HEAD'], emailPaths.click, async (c) => {
    const resolved = resolveClick(filledQuery(c.req.url), route.keys)
    if (!resolved.ok) {
      route.metrics.increment('email_click_refused')
      return c.text('Not found', 404, noStore)
    }
    const { fields, destination, recipient, cut } = resolved
    if (cut) route.metrics.increment('email_click_values_cut')
    let clickId: string | undefined
    try {
      clickId = await recordEmailEvent(route, c, {
        writeKey: fields.writeKey,
        campaignId: fields.campaignId,
        emailId: fields.emailId,
        recipient,
        // The link is named by its signed destination, the merge tags as written: the values the sending service
        // filled in are one recipient's (a first name, a city) and are not written, whatever their parameter's name.
        link: { id: fields.linkId, url: fields.url, template: fields.url },
      })
    } catch {
      route.metrics.increment('email_click_record_failures')
    }
    // Only to the site's own pages: another site would get a click id it has no use for, which ties the reader's
    // visit there to their mail, and a destination that checks its query (a signed download, a form) could break.
    const location =
      clickId && route.ownPage(fields.writeKey, destination, c.req.url)
        ? withClickId(destination, clickId)
        : destination
    return c.body(null, 302, { ...noStore, Location: location })
  })
  return app
}
