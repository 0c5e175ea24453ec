import { gifHeaders, transparentGif } from '@spoor/protocol'
import { Hono } from 'hono'
import { type EmailRouteContext, recordEmailEvent } from './record-email-event.js'
import { emailPaths, param } from './tracking-urls.js'

/**
 * `GET`/`HEAD /email/o.gif?k=KEY&c=CAMPAIGN&m=EMAIL&n=SUBJECT&r=RECIPIENT`: records `Email Opened`, classified, and always
 * answers the 43-byte GIF, never cached — even when recording failed (image proxies cache error answers, and the
 * open would never be counted again); failures are counted in `email_open_record_failures`. The answer does not
 * wait for the disk (see `recordInBackground`). No cookie is read or set.
 */
export function openRoute(route: EmailRouteContext): Hono {
  const app = new Hono()
  // Made once, out here: a closure made in the handler would share its scope, and so hold the whole request until
  // the write is done.
  const countFailure = () => route.metrics.increment('email_open_record_failures')
  app.on(['GET', 'HEAD'], emailPaths.open, (c) => {
    const query = new URL(c.req.url).searchParams
    const fields = {
      writeKey: query.get(param.writeKey) ?? '',
      campaignId: query.get(param.campaign),
      emailId: query.get(param.email),
      recipient: query.get(param.recipient),
      // Unsigned, like the rest of the pixel's address: the report shows the subject most opens name.
      subject: query.get(param.subject)?.slice(0, 200) ?? null,
    }
    route.recordInBackground(c.req.url.length + 1024, () => recordEmailEvent(route, c, fields), countFailure)
    return c.req.method === 'HEAD' ? c.body(null, 200, gifHeaders) : c.body(transparentGif, 200, gifHeaders)
  })
  return app
}
