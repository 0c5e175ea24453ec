// The placeholders the common sending services fill in per recipient, after we have signed:
// `{{…}}` and `{{{…}}}` (Handlebars and Liquid: SendGrid, Postmark, HubSpot, Customer.io), `*|…|*` (Mailchimp),
// `%recipient…%` (Mailgun's recipient variables). Mailgun's form is matched only with its `recipient` prefix: a bare
// `%name%` would also match percent-encoded text such as `%ab%` in an ordinary URL.
const mergeTag = /\{\{\{?[^{}]*\}?\}\}|\*\|[^|*]*\|\*|%recipient[A-Za-z0-9_.-]*%/g

/** One merge tag found in a text: where it starts and its exact characters. */
export interface MergeTag {
  index: number
  text: string
}

/**
 * Finds the merge tags of the common senders in `text`, in order.
 *
 * @example
 * findMergeTags('https://shop.example/?ref={{id}}') // → [{ index: 26, text: '{{id}}' }]
 */
export function findMergeTags(text: string): MergeTag[] {
  return [...text.matchAll(mergeTag)].map((match) => ({ index: match.index, text: match[0] }))
}

/**
 * Replaces each merge tag of `text` with what `replace` returns for it (the n-th tag gets `n`), and the text around
 * the tags with what `other` returns (unchanged by default).
 */
export function mapMergeTags(
  text: string,
  replace: (tag: string, n: number) => string,
  other: (text: string) => string = (t) => t,
): string {
  let out = ''
  let at = 0
  findMergeTags(text).forEach((tag, n) => {
    out += other(text.slice(at, tag.index)) + replace(tag.text, n)
    at = tag.index + tag.text.length
  })
  return out + other(text.slice(at))
}

/** Percent-encodes `text` for a URL's query, leaving its merge tags byte for byte for the sender to fill in. */
export function encodeKeepingTags(text: string): string {
  return mapMergeTags(text, (tag) => tag, encodeURIComponent)
}
