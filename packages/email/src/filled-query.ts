import { findMergeTags, hadValueEarlier } from './merge-tags.js'
import { clickLayout, param } from './tracking-urls.js'

// What a parameter looks like, rather than part of a value: a name of URL-safe characters, then `=`. Parameters a
// service appends to links (Mailchimp's and SendGrid's utm_source=…) have this shape; the text after a stray `&` in
// a name, a city or a title has not (`%20Jerry` of `Tom & Jerry`, `D` of `R&D`).
const parameterShape = /^[A-Za-z0-9_.~-]+=/

// The parameters whose value the sending service fills in after signing, unencoded as often as not.
const filledIn = new Set<string>([param.recipient, param.tag])

// A merge tag whose filter form-encodes its value, writing a space as `+` and a plus as `%2B`: Liquid's `url_encode`
// (Shopify, Braze, Customer.io, Klaviyo). Only after such a tag does a `+` in the value read as a space.
const formEncoding = /\|\s*url_encode\b/

/** One `name=value` of the query, with the pieces a stray `&` split off its value joined back. */
interface Parameter {
  name: string
  text: string
}

/**
 * For each `t` value of a click link, in order, whether its merge tag (read from the signed destination `u`) writes a
 * space as `+`. A link signed before some tag forms were read as merge tags has values for the earlier forms only.
 */
function plusIsSpace(parameters: readonly Parameter[]): boolean[] {
  const signed = new URLSearchParams(
    parameters
      .filter((p) => !filledIn.has(p.name))
      .map((p) => p.text)
      .join('&'),
  )
  const tags = findMergeTags(signed.get(param.url) ?? '').map((tag) => tag.text)
  const count = parameters.filter((p) => p.name === param.tag).length
  const valued = signed.get(param.layout) !== clickLayout && count !== tags.length ? tags.filter(hadValueEarlier) : tags
  return valued.map((tag) => formEncoding.test(tag))
}

/**
 * A click link's or open pixel's query, read so that a value the sending service filled in (a recipient id, a
 * merge-tag value) reads back as the service meant it, whether it was URL-encoded or put in raw, as services often do:
 *
 * - a `&` left unencoded stays in the value (`Tom & Jerry`): after a recipient id or merge-tag value, a piece that does
 *   not look like a parameter (`name=…`) is the value's own. A piece that does (`a&b=c`) cannot be told from a
 *   parameter appended to the link, and is read as one.
 * - a `+` is a plus (`ada+news@example.com`, `C++`), not a space: a raw value keeps its `+`, and an encoded one has
 *   none (`%2B`; a browser sends a raw space as `%20`). Only after a merge tag that form-encodes (Liquid's
 *   `{{ name | url_encode }}`, which writes a space as `+`) is a `+` a space.
 * - a valid `%xx` is decoded, as it must be for an encoded value; a raw value that happens to look like one (`100%25`)
 *   cannot be told from it and is decoded too (`100%`). A `%` that starts no valid `%xx` stays (`50% off`).
 *
 * Every other parameter is read as `URLSearchParams` reads it.
 *
 * @param url - the request's URL as it came, not re-serialized (that would encode the stray `&`s apart)
 * @example
 * filledQuery('https://t.example.com/email/c?…&t=Tom%20&%20Jerry').getAll('t') // → ['Tom & Jerry']
 * filledQuery('https://t.example.com/email/c?…&r=ada+news@example.com').get('r') // → 'ada+news@example.com'
 */
export function filledQuery(url: string): URLSearchParams {
  const start = url.indexOf('?')
  if (start < 0) return new URLSearchParams()
  const hash = url.indexOf('#', start)
  const query = url.slice(start + 1, hash < 0 ? undefined : hash)
  const parameters: Parameter[] = []
  for (const piece of query.split('&')) {
    const last = parameters.at(-1)
    if (last && filledIn.has(last.name) && !parameterShape.test(piece)) {
      // Kept in the value: `%26` reads back as the `&` it was.
      last.text += `%26${piece}`
      continue
    }
    const equals = piece.indexOf('=')
    parameters.push({ name: equals < 0 ? piece : piece.slice(0, equals), text: piece })
  }
  const spaces = plusIsSpace(parameters)
  let tag = 0
  const read = parameters.map(({ name, text }) => {
    if (!filledIn.has(name)) return text
    if (name === param.tag && spaces[tag++]) return text
    return text.replaceAll('+', '%2B')
  })
  return new URLSearchParams(read.join('&'))
}
