import { Hono } from 'hono'
import { type EmailRouteContext, recordEmailEvent } from './record-email-event.js'
import { resolveClick, withClickId } from './resolve-click.js'
import { emailPaths } from './tracking-urls.js'

// Each click must reach the collector: neither the browser nor a proxy may answer it from a cache.
const noStore = { 'Cache-Control': 'no-store' }

/**
 * `GET`/`HEAD /email/c?…&s=SIGNATURE`: verifies the link's signature (HMAC-SHA256, every configured key, constant
 * time), records `Email Link Clicked`, classified, and answers 302 to the signed destination with
 * `spoor_c=<the click's messageId>` appended, for the site's snippet to carry to a conversion. A bad or missing
 * signature answers 404 and redirects nowhere (`email_click_refused`). A click that could not be recorded still
 * leads to its destination, without `spoor_c` (`email_click_record_failures`). No cookie is read or set.
 */
export function clickRoute(route: EmailRouteContext): Hono {
  const app = new Hono()
  app.on(['GET', 'HEAD'], emailPaths.click, async (c) => {
    const resolved = resolveClick(new URL(c.req.url).searchParams, route.keys)
    if (!resolved.ok) {
      route.metrics.increment('email_click_refused')
      return c.text('Not found', 404, noStore)
    }
    const { fields, destination, recipient } = resolved
    let clickId: string | undefined
    try {
      clickId = await recordEmailEvent(route, c, {
        writeKey: fields.writeKey,
        campaignId: fields.campaignId,
        emailId: fields.emailId,
        recipient,
        link: { id: fields.linkId, url: destination, template: fields.url },
      })
    } catch {
      route.metrics.increment('email_click_record_failures')
    }
    return c.body(null, 302, { ...noStore, Location: clickId ? withClickId(destination, clickId) : destination })
  })
  return app
}
