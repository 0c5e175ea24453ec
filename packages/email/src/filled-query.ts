import { param } from './tracking-urls.js'

// What a parameter looks like, rather than part of a value: a name of URL-safe characters, then `=`. Parameters a
// service appends to links (Mailchimp's and SendGrid's utm_source=…) have this shape; the text after a stray `&` in
// a name, a city or a title has not (`%20Jerry` of `Tom & Jerry`, `D` of `R&D`).
const parameterShape = /^[A-Za-z0-9_.~-]+=/

// The parameters whose value the sending service fills in after signing, unencoded as often as not.
const filledIn = new Set<string>([param.recipient, param.tag])

/**
 * A click link's or open pixel's query, read so that a `&` the sending service left unencoded in a filled-in value
 * (`Tom & Jerry`) stays in that value: after a recipient id or merge-tag value, a piece that does not look like a
 * parameter (`name=…`) is the value's own. A piece that does (`a&b=c`) cannot be told from a parameter appended to the link,
 * and is read as one, as before. Every other parameter is read as `URLSearchParams` reads it.
 *
 * @param url - the request's URL as it came, not re-serialized (that would encode the stray `&`s apart)
 * @example
 * filledQuery('https://t.example.com/email/c?…&t=Tom%20&%20Jerry').getAll('t') // → ['Tom & Jerry']
 */
export function filledQuery(url: string): URLSearchParams {
  const start = url.indexOf('?')
  if (start < 0) return new URLSearchParams()
  const hash = url.indexOf('#', start)
  const query = url.slice(start + 1, hash < 0 ? undefined : hash)
  let out = ''
  let last = ''
  for (const piece of query.split('&')) {
    if (out && filledIn.has(last) && !parameterShape.test(piece)) {
      // Kept in the value: `%26` reads back as the `&` it was.
      out += `%26${piece}`
      continue
    }
    out += out ? `&${piece}` : piece
    const equals = piece.indexOf('=')
    last = equals < 0 ? piece : piece.slice(0, equals)
  }
  return new URLSearchParams(out)
}
