import {
  type InstrumentedLink,
  type InstrumentOptions,
  instrumentFields,
  whyNotSigned,
  whySkipped,
} from './instrument-options.js'
import { findMergeTags } from './merge-tags.js'
import { clickUrl, emailPaths } from './tracking-urls.js'

/** The instrumented plain-text part and an account of what was changed and what was left alone. */
export interface InstrumentedText {
  text: string
  emailId: string
  links: InstrumentedLink[]
  /** Links left as they were, each with the reason. */
  skipped: { url: string; reason: string }[]
}

// What ends a bare address in text: white space, and the brackets and quotes mail puts around one (`<https://…>`).
const ends = /[\s<>"]/
// What a sentence puts after an address rather than in it.
const trailing = /[.,;:!?')\]]$/

/**
 * The bare http(s) addresses of a text, with where each starts and ends. A merge tag is part of the address it is in,
 * spaces included (`{{ customer.email | url_encode }}`); a sentence's closing punctuation is not, nor is a closing
 * parenthesis the address did not open.
 */
function bareUrls(text: string): { start: number; end: number; url: string }[] {
  const tags = findMergeTags(text)
  const found: { start: number; end: number; url: string }[] = []
  for (const match of text.matchAll(/\bhttps?:\/\//gi)) {
    if (found.length && match.index < found[found.length - 1]!.end) continue
    let end = match.index
    while (end < text.length) {
      const tag = tags.find((t) => t.index === end)
      if (tag) end += tag.text.length
      else if (ends.test(text[end]!)) break
      else end++
    }
    // Punctuation is trimmed only outside a merge tag: `*|ID|*` ends in one.
    const tagEnds = new Set(tags.map((t) => t.index + t.text.length))
    let url = text.slice(match.index, end)
    while (!tagEnds.has(match.index + url.length) && trailing.test(url)) {
      const count = (c: string) => url.split(c).length - 1
      if (url.endsWith(')') && count('(') >= count(')')) break
      url = url.slice(0, -1)
    }
    found.push({ start: match.index, end: match.index + url.length, url })
  }
  return found
}

/**
 * Rewrites each bare http(s) address of an email's plain-text part to a tracked, signed link, as `instrumentEmail`
 * does an HTML part's links; a text has no open pixel. Merge tags stay byte for byte, in the addresses and around
 * them; links already tracked, unsubscribe and list-management links, links marked in `options.skip` (text has no
 * `data-spoor-skip`), and those whose merge tags could change their host or hold template logic, are left as they are. Links are numbered by destination, in order of first appearance.
 *
 * @example
 * const { text } = instrumentText('Shop now: https://shop.example/sale?ref={{id}}', {
 *   campaign: 'spring-sale', writeKey: 'KEY', base: 'https://t.example.com', recipient: '{{id}}', signingKey,
 * })
 */
export function instrumentText(text: string, options: InstrumentOptions): InstrumentedText {
  const { base, emailId, fields } = instrumentFields(text, options)
  const links = new Map<string, InstrumentedLink>()
  const skipped: InstrumentedText['skipped'] = []
  let out = ''
  let at = 0
  for (const { start, end, url } of bareUrls(text)) {
    const reason = url.startsWith(base + emailPaths.click + '?')
      ? 'already tracked'
      : (whySkipped(url, options.skip) ?? whyNotSigned(url))
    if (reason) {
      skipped.push({ url, reason })
      continue
    }
    const link = links.get(url) ?? { linkId: String(links.size + 1), url, count: 0 }
    link.count++
    links.set(url, link)
    const tracked = clickUrl(
      base,
      { ...fields, linkId: link.linkId, url, recipient: options.recipient },
      options.signingKey,
    )
    out += text.slice(at, start) + tracked
    at = end
  }
  return { text: out + text.slice(at), emailId, links: [...links.values()], skipped }
}
