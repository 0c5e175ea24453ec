import type { SignedFields } from './link-signature.js'
import { verifyLink } from './link-signature.js'
import { findMergeTags, hadValueEarlier, mapMergeTags } from './merge-tags.js'
import { clickLayout, param } from './tracking-urls.js'

/** A click link's verdict: where it leads and what it names, or why it leads nowhere. */
export type ClickResolution =
  | {
      ok: true
      destination: string
      fields: SignedFields
      recipient: string | null
      /** Fewer merge-tag values came than the link has: a `#` in one ended the address (see `clickUrl`). */
      cut: boolean
    }
  | { ok: false; reason: string }

const webSchemes = new Set(['http:', 'https:'])

function parse(url: string): URL | undefined {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

/** Scheme, user, password, host and port: the part of a URL that says whom it reaches. */
const authority = (url: URL) => [url.protocol, url.username, url.password, url.host].join('\n')

/**
 * Verifies a click link's signature under any of `keys` and returns its destination, with the merge-tag values
 * (the `t` parameters) percent-encoded back into their places. Read the query with `filledQuery`, which keeps a stray
 * `&` in the value it belongs to. Refuses, with a reason for the metrics, a missing,
 * repeated or wrong parameter, a bad signature, a destination that is not http(s), and any filling-in that would
 * change the destination's scheme, host or port. There is no fallback: a refused link leads nowhere.
 */
export function resolveClick(query: URLSearchParams, keys: readonly string[]): ClickResolution {
  const fail = (reason: string): ClickResolution => ({ ok: false, reason })
  // Exactly one of each: with two `u`, which one was signed and which one would be followed would depend on code
  // paths agreeing on "first" or "last" (parameter pollution).
  const one = (name: string) => {
    const values = query.getAll(name)
    return values.length === 1 ? values[0]! : undefined
  }
  const writeKey = one(param.writeKey)
  const campaignId = one(param.campaign)
  const emailId = one(param.email)
  const linkId = one(param.link)
  const url = one(param.url)
  const signature = one(param.signature)
  if (
    writeKey === undefined ||
    campaignId === undefined ||
    emailId === undefined ||
    linkId === undefined ||
    url === undefined ||
    signature === undefined
  ) {
    return fail('missing or repeated parameter')
  }
  if (query.getAll(param.recipient).length > 1) return fail('missing or repeated parameter')
  const fields: SignedFields = { writeKey, campaignId, emailId, linkId, url }
  if (!verifyLink(keys, fields, signature)) return fail('bad signature')

  const values = query.getAll(param.tag)
  const tags = findMergeTags(url)
  // The first `v`, the one spoor wrote before the filled-in values: unlike the signed fields, it can only change how
  // this click's own values are read, so a `v` appended by a service leads nowhere else and need not be refused.
  const layout = query.getAll(param.layout)
  let filled: string
  let cut = false
  if (layout[0] === clickLayout) {
    // A `#` in a value ended the address the browser sent: the values after it never came. The link still leads
    // to its page, those merge tags empty. More values than tags: one held `&t=`, or the link was tampered with.
    if (values.length > tags.length) return fail('merge-tag values do not match the link')
    cut = values.length < tags.length
    let next = 0
    filled = mapMergeTags(url, () => encodeURIComponent(values[next++] ?? ''))
  } else {
    // A link signed before some forms were read as merge tags has values for the earlier forms only: the others
    // stay as written, as they did then.
    const earlier =
      values.length !== tags.length && values.length === tags.filter((t) => hadValueEarlier(t.text)).length
    if (values.length !== tags.length && !earlier) return fail('merge-tag values do not match the link')
    let next = 0
    filled = mapMergeTags(url, (tag) => (earlier && !hadValueEarlier(tag) ? tag : encodeURIComponent(values[next++]!)))
  }
  // The signed destination with neutral values: filling in must not move the link to another scheme, host or port.
  const signed = parse(mapMergeTags(url, () => 'x'))
  const destination = parse(filled)
  if (!signed || !destination || !webSchemes.has(signed.protocol) || authority(signed) !== authority(destination)) {
    return fail('destination is not a web address of the signed host')
  }
  return { ok: true, destination: destination.href, fields, recipient: query.get(param.recipient), cut }
}

/**
 * Appends `spoor_c=<click id>` to a destination's query, before its fragment, leaving the rest of the URL as it
 * was (re-serializing the query could change how the destination site reads it).
 */
export function withClickId(destination: string, clickId: string): string {
  const hash = destination.indexOf('#')
  const head = hash < 0 ? destination : destination.slice(0, hash)
  const fragment = hash < 0 ? '' : destination.slice(hash)
  const joiner = !head.includes('?') ? '?' : head.endsWith('?') || head.endsWith('&') ? '' : '&'
  return `${head}${joiner}spoor_c=${encodeURIComponent(clickId)}${fragment}`
}
