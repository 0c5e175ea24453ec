// The placeholders the common sending services fill in per recipient, after we have signed:
// `{{…}}` and `{{{…}}}` (Handlebars and Liquid: SendGrid, Postmark, HubSpot, Customer.io; Braze's `{{${first_name}}}`
// included), `{%…%}` (Liquid and Django tags: Klaviyo's `{% coupon_code 'X' %}`, Braze, Shopify), `*|…|*`
// (Mailchimp), `%%…%%` (Salesforce Marketing Cloud: `%%FirstName%%`, AMPscript's `%%=v(@x)=%%`), and
// `%recipient…%` (Mailgun's recipient variables). Mailgun's form is matched only with its `recipient` prefix: a bare
// `%name%` would also match percent-encoded text such as `%ab%` in an ordinary URL; `%%` never appears in one.
const mergeTag =
  /\{\{\{?(?:[^{}]|\$\{[^{}]*\})*\}?\}\}|\{%[^%]*(?:%(?!\})[^%]*)*%\}|\*\|[^|*]*\|\*|%%[^%\r\n]+%%|%recipient[A-Za-z0-9_.-]*%/g

// Tags that choose or repeat text rather than put a value in its place: Liquid's and Django's `{% if %}`, `{% for %}`
// and their kin, Handlebars' `{{#if}}`, `{{else}}`, `{{/if}}`, Mailchimp's `*|IF:…|*`, `*|END:IF|*`, and
// AMPscript's `%%[ … ]%%` blocks.
const logicTag =
  /^(?:\{%-?\s*(?:if|elsif|elif|else|endif|unless|endunless|for|empty|endfor|case|when|endcase|capture|endcapture|comment|endcomment|raw|endraw|with|endwith|tablerow|endtablerow|ifequal|endifequal|ifnotequal|endifnotequal|ifchanged|endifchanged|block|endblock)\b|\{\{\{?~?\s*(?:[#/^]|else\b)|\*\|(?:IF|IFNOT|ELSEIF|ELSE|END|INTERESTED):|%%\[)/i

// The forms read as merge tags before `{%…%}`, `%%…%%` and Braze's `{{${…}}}` were: a link signed then carries a `t`
// value for these only, and must keep leading where it did (mail is kept for years).
const earlierForm = /^(?:\{\{\{?[^{}]*\}?\}\}|\*\|[^|*]*\|\*|%recipient[A-Za-z0-9_.-]*%)$/

/** Whether a link signed by an earlier spoor has a `t` value for this merge tag. */
export const hadValueEarlier = (tag: string) => earlierForm.test(tag)

/** Whether a merge tag is template logic (a condition or loop), which chooses text instead of standing for a value. */
export const isLogicTag = (tag: string) => logicTag.test(tag)

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

/**
 * Whether a title or subject line is only a placeholder for the subject the sending service fills in: a merge tag
 * alone (`*|MC:SUBJECT|*`), or text holding one that names the subject (`{{ campaign.subject }} | Shop`).
 */
export function standsForSubject(text: string): boolean {
  const tags = findMergeTags(text.trim())
  return (tags.length === 1 && tags[0]!.text === text.trim()) || tags.some((tag) => /subject/i.test(tag.text))
}
