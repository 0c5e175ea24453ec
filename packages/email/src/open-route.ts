import { gifHeaders, transparentGif } from '@spoor/protocol'
import { Hono } from 'hono'
import { filledQuery } from './filled-query.js'
import { verifyOpen } from './link-signature.js'
import { findMergeTags, mapMergeTags } from './merge-tags.js'
import { type EmailRouteContext, recordEmailEvent } from './record-email-event.js'
import { emailPaths, param } from './tracking-urls.js'

/**
 * Whether a recipient id, as the sending service filled it in, fits the recipient the pixel was signed with: the
 * same text where that has no merge tag, the same text around the tags where it has.
 */
function fitsRecipient(asWritten: string | null, filled: string | null): boolean {
  if (asWritten === null || filled === null) return asWritten === filled
  if (findMergeTags(asWritten).length === 0) return asWritten === filled
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`^${mapMergeTags(asWritten, () => '[\\s\\S]*', literal)}$`).test(filled)
}

/**
 * The fields an open pixel names, or undefined when it may not be counted: a signature that fails, a repeated
 * parameter, a recipient that does not fit the signed one, or no signature at all on a pixel of a campaign not
 * listed in `email.unsignedOpenCampaigns` (mail sent before pixels were signed).
 */
function verifiedOpen(query: URLSearchParams, route: EmailRouteContext) {
  const signature = query.getAll(param.signature)
  if (signature.length === 0) {
    const campaignId = query.get(param.campaign)
    if (campaignId === null || !route.unsignedOpenCampaigns.has(campaignId)) return 'unsigned'
    return {
      writeKey: query.get(param.writeKey) ?? '',
      campaignId,
      emailId: query.get(param.email),
      recipient: query.get(param.recipient),
      subject: query.get(param.subject),
    }
  }
  // Exactly one of each (at most one of the optional ones), as for click links: no guessing which one was signed.
  const names = [param.writeKey, param.campaign, param.email, param.subject, param.recipientAsWritten, param.recipient]
  if (signature.length > 1 || names.some((name) => query.getAll(name).length > 1)) return 'refused'
  const writeKey = query.get(param.writeKey)
  const campaignId = query.get(param.campaign)
  const emailId = query.get(param.email)
  if (writeKey === null || campaignId === null || emailId === null) return 'refused'
  const signed = {
    writeKey,
    campaignId,
    emailId,
    recipient: query.get(param.recipientAsWritten),
    subject: query.get(param.subject),
  }
  const recipient = query.get(param.recipient)
  if (!verifyOpen(route.keys, signed, signature[0]!) || !fitsRecipient(signed.recipient, recipient)) return 'refused'
  return { writeKey, campaignId, emailId, recipient, subject: signed.subject }
}

/**
 * Tells the operator, once per campaign and reason, of opens not recorded: after an upgrade the pixels of mail sent
 * before pixels were signed stop counting until their campaign is listed, and a signing key taken out of the config
 * refuses every pixel it signed. Only a metric said so, which nobody reads until the open rate has dropped.
 */
function warnNotRecorded(route: EmailRouteContext, verdict: 'unsigned' | 'refused', campaign: string | undefined) {
  const name = (campaign ?? '').slice(0, 100)
  if (verdict === 'unsigned') {
    route.warn(
      `unsigned open|${name}`,
      `did not record an open of campaign "${name}": its pixel is unsigned; if this campaign's mail was sent before pixels were signed, list "${name}" in email.unsignedOpenCampaigns of the config`,
      { reason: 'unsigned open pixel', campaign: name },
    )
  } else {
    route.warn(
      `refused open|${name}`,
      `did not record an open of campaign "${name}": its pixel's signature fails (a key it was signed with is no longer in email.signingKeys, or the address was changed)`,
      { reason: 'open pixel signature fails', campaign: name },
    )
  }
}

/**
 * `GET`/`HEAD /email/o.gif?k=KEY&c=CAMPAIGN&m=EMAIL&n=SUBJECT&p=RECIPIENT-AS-WRITTEN&s=SIGNATURE&r=RECIPIENT`: records
 * `Email Opened`, classified, when its signature holds (HMAC-SHA256, the links' keys, constant time), and always
 * answers the 43-byte GIF, never cached — even when recording failed (image proxies cache error answers, and the
 * open would never be counted again); failures are counted in `email_open_record_failures`. A pixel whose signature
 * fails is not recorded (`email_open_refused`), nor is an unsigned one (`email_open_unsigned`) unless its campaign
 * is listed in `email.unsignedOpenCampaigns`. The answer does not wait for the disk (see `recordInBackground`). No
 * cookie is read or set.
 */
export function openRoute(route: EmailRouteContext): Hono {
  const app = new Hono()
  // Made once, out here: a closure made in the handler would share its scope, and so hold the whole request until
  // the write is done.
  const countFailure = () => route.metrics.increment('email_open_record_failures')
  app.on(['GET', 'HEAD'], emailPaths.open, (c) => {
    const verified = verifiedOpen(filledQuery(c.req.url), route)
    if (typeof verified === 'string') {
      // Still the image: a mail client shows nothing broken, and a forger learns nothing from the answer.
      route.metrics.increment(verified === 'unsigned' ? 'email_open_unsigned' : 'email_open_refused')
      warnNotRecorded(route, verified, c.req.query(param.campaign))
    } else {
      const fields = { ...verified, subject: verified.subject?.slice(0, 200) ?? null }
      route.recordInBackground(c.req.url.length + 1024, () => recordEmailEvent(route, c, fields), countFailure)
    }
    return c.req.method === 'HEAD' ? c.body(null, 200, gifHeaders) : c.body(transparentGif, 200, gifHeaders)
  })
  return app
}
