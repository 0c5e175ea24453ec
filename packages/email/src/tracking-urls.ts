import { type SignedFields, signLink, signOpen } from './link-signature.js'
import { encodeKeepingTags, findMergeTags } from './merge-tags.js'

/** Where the collector answers email opens and clicks. */
export const emailPaths = { open: '/email/o.gif', click: '/email/c' } as const

/**
 * The query parameters of the email routes: `k` write key, `c` campaign, `m` email (message), `r` recipient,
 * `l` link, `u` the signed destination, `t` one value per merge tag of the destination, in order, `s` signature,
 * `n` the subject line and `p` the recipient as written (open pixel only), `v` the layout of a click link's
 * filled-in values (absent: before `2`).
 */
export const param = {
  writeKey: 'k',
  campaign: 'c',
  email: 'm',
  recipient: 'r',
  link: 'l',
  url: 'u',
  tag: 't',
  signature: 's',
  subject: 'n',
  recipientAsWritten: 'p',
  layout: 'v',
} as const

/**
 * The layout of the click links made now: the recipient first, then one `t` per merge tag. A link without it was
 * made before, with the recipient last.
 */
export const clickLayout = '2'

/** What the open pixel's address names. */
export interface OpenFields {
  writeKey: string
  campaignId: string
  emailId: string
  /** A recipient id, usually a merge tag such as `{{id}}` that the sending service fills in; kept byte for byte. */
  recipient?: string | undefined
  /** The subject line; percent-encoded whole, merge tags included, so the sending service does not fill them in. */
  subject?: string | undefined
}

/** What a click link's address names: the signed fields and the recipient. */
export interface ClickFields extends SignedFields {
  recipient?: string | undefined
}

const trimBase = (base: string) => base.replace(/\/+$/, '')

const recipientPart = (recipient: string | undefined) =>
  recipient === undefined ? '' : `&${param.recipient}=${encodeKeepingTags(recipient)}`

/**
 * The open pixel's signed address. As in a click link, the signature covers the recipient as written, which travels
 * percent-encoded in `p` so that the sending service leaves it alone, and is repeated last in `r`, where its merge
 * tags stay as they are, for the service to fill in.
 *
 * @param base - the collector's public address, such as `https://t.example.com`
 * @param key - the signing key (the first of the config's `email.signingKeys`)
 */
export function openPixelUrl(base: string, fields: OpenFields, key: string): string {
  const e = encodeURIComponent
  const recipient = fields.recipient ?? null
  const subject = fields.subject || null
  const signature = signOpen(key, { ...fields, recipient, subject })
  return (
    `${trimBase(base)}${emailPaths.open}?${param.writeKey}=${e(fields.writeKey)}&${param.campaign}=${e(fields.campaignId)}` +
    `&${param.email}=${e(fields.emailId)}${subject ? `&${param.subject}=${e(subject)}` : ''}` +
    `${recipient === null ? '' : `&${param.recipientAsWritten}=${e(recipient)}`}&${param.signature}=${signature}` +
    recipientPart(fields.recipient)
  )
}

/**
 * A tracked, signed click link. The destination travels percent-encoded in `u`, so the sending service does not
 * fill in its merge tags there; each of them is repeated, as is, in a `t` parameter that the service does fill in,
 * and the collector puts the values back in their places when the link is clicked. The values filled in per
 * recipient come last, after `v=2` (the layout), the recipient first: a stray `&` in one stays in it (see
 * `filledQuery`), and a `#`, which ends what a browser sends, cuts only that value and the ones after it, never the
 * signed part nor, in a merge-tag value, the recipient.
 *
 * @param base - the collector's public address, such as `https://t.example.com`
 * @param key - the signing key (the first of the config's `email.signingKeys`)
 */
export function clickUrl(base: string, fields: ClickFields, key: string): string {
  const e = encodeURIComponent
  const tags = findMergeTags(fields.url)
    .map((tag) => `&${param.tag}=${tag.text}`)
    .join('')
  return (
    `${trimBase(base)}${emailPaths.click}?${param.writeKey}=${e(fields.writeKey)}&${param.campaign}=${e(fields.campaignId)}` +
    `&${param.email}=${e(fields.emailId)}&${param.link}=${e(fields.linkId)}&${param.url}=${e(fields.url)}` +
    `&${param.signature}=${signLink(key, fields)}&${param.layout}=${clickLayout}${recipientPart(fields.recipient)}${tags}`
  )
}
