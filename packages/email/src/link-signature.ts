import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * What a click link's signature covers: the site, the campaign, the email, the link, and the destination as the
 * sender wrote it (merge tags included, as placeholders). It does not cover the recipient id nor the values the
 * sending service puts in place of the merge tags: those are filled in after signing, per recipient. They are
 * inserted percent-encoded into the path, query or fragment of the signed destination, so they can change what is
 * recorded, never where the link leads.
 */
export interface SignedFields {
  writeKey: string
  campaignId: string
  emailId: string
  linkId: string
  /** The destination as the sender wrote it, merge tags included. */
  url: string
}

// A signature is HMAC-SHA256 in unpadded base64url: always exactly 43 characters of that alphabet.
const signatureShape = /^[A-Za-z0-9_-]{43}$/

/**
 * What an open pixel's signature covers: the site, the campaign, the email, the subject line and the recipient as
 * the sender wrote it (`{{id}}`, or an id written out). The value the sending service puts in place of a recipient
 * merge tag is filled in after signing and is not covered: it must fit what was signed around the tag.
 */
export interface SignedOpenFields {
  writeKey: string
  campaignId: string
  emailId: string
  /** The recipient as written, merge tags unfilled; null when the pixel names none. */
  recipient: string | null
  /** The subject line; null when the pixel names none. */
  subject: string | null
}

// A JSON array, so that no choice of field values can make two different sets of fields sign the same text; the
// version lets a future format refuse today's links instead of misreading them, and tells a pixel's signature from
// a link's.
const signedText = (fields: SignedFields) =>
  JSON.stringify(['spoor-email-click-1', fields.writeKey, fields.campaignId, fields.emailId, fields.linkId, fields.url])
const signedOpenText = (fields: SignedOpenFields) =>
  JSON.stringify([
    'spoor-email-open-1',
    fields.writeKey,
    fields.campaignId,
    fields.emailId,
    fields.recipient,
    fields.subject,
  ])

const sign = (key: string, text: string) => createHmac('sha256', key).update(text).digest('base64url')

/**
 * Signs a click link's fields with `key` (HMAC-SHA256).
 *
 * @example
 * signLink('a-long-random-key…', { writeKey: 'KEY', campaignId: 'spring', emailId: 'e1', linkId: '1', url: 'https://shop.example/' })
 */
export function signLink(key: string, fields: SignedFields): string {
  return sign(key, signedText(fields))
}

/**
 * Signs an open pixel's fields with `key` (HMAC-SHA256), the same key as the links.
 *
 * @example
 * signOpen('a-long-random-key…', { writeKey: 'KEY', campaignId: 'spring', emailId: 'e1', recipient: '{{id}}', subject: null })
 */
export function signOpen(key: string, fields: SignedOpenFields): string {
  return sign(key, signedOpenText(fields))
}

// Whether `signature` is the signature of `text` under any of `keys`, in constant time.
function verify(keys: readonly string[], text: string, signature: string): boolean {
  // Checked before any byte conversion: Node's latin1 keeps only the low byte of each character, so 'ő' would
  // otherwise compare equal to 'Q'.
  if (!signatureShape.test(signature)) return false
  const given = Buffer.from(signature, 'ascii')
  let valid = false
  // Every key is tried, whatever the outcome of the others, so the time taken says nothing of which key matched.
  for (const key of keys) {
    const expected = Buffer.from(sign(key, text), 'ascii')
    if (timingSafeEqual(given, expected)) valid = true
  }
  return valid
}

/**
 * Whether `signature` is the signature of `fields` under any of `keys` (rotation: every listed key is accepted).
 * Compares in constant time, and only exact signatures: no truncated, extended or re-encoded form passes.
 */
export function verifyLink(keys: readonly string[], fields: SignedFields, signature: string): boolean {
  return verify(keys, signedText(fields), signature)
}

/** Whether `signature` is an open pixel's signature of `fields` under any of `keys`, as {@link verifyLink}. */
export function verifyOpen(keys: readonly string[], fields: SignedOpenFields, signature: string): boolean {
  return verify(keys, signedOpenText(fields), signature)
}
