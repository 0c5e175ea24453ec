import { decodeHTMLAttribute } from 'entities/decode'
import { type StartTag, startTags } from './html-scanner.js'
import {
  InstrumentError,
  type InstrumentedLink,
  type InstrumentOptions,
  instrumentFields,
  parses,
  whyLeftAlone,
  whyNotSigned,
  whySkipped,
} from './instrument-options.js'
import { findMergeTags, mapMergeTags, standsForSubject } from './merge-tags.js'
import { clickUrl, emailPaths, openPixelUrl } from './tracking-urls.js'

/** The instrumented email and an account of what was changed and what was left alone. */
export interface InstrumentedEmail {
  html: string
  emailId: string
  links: InstrumentedLink[]
  /** Links left as they were, each with the reason. */
  skipped: { url: string; reason: string }[]
  /** False when the email already had this collector's open pixel. */
  pixelAdded: boolean
  /** The HTML's size in bytes (UTF-8), before and after. */
  bytes: { before: number; after: number }
  /** What the sender should know before sending: the email grew past the size at which Gmail clips it. */
  warnings: string[]
}

/**
 * Gmail shows a message whose HTML is larger than about 102 KB clipped: the rest (links, footer, the unsubscribe
 * link) behind a "View entire message" link. Counted in bytes, as 102,000 to be on the safe side.
 */
export const gmailClipBytes = 102_000

// Elements whose href a reader can follow: HTML links and image-map areas, and Outlook's VML shapes
// (v:roundrect and friends: the "bulletproof buttons" inside <!--[if mso]> blocks).
const isLinkElement = (tag: StartTag) => tag.name === 'a' || tag.name === 'area' || tag.name.startsWith('v:')
const attribute = (tag: StartTag, name: string) => tag.attributes.find((a) => a.name === name)

// The URL parser drops leading and trailing C0 controls and spaces from an href; so do we, before reading it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: a browser strips exactly these (C0 controls and space) from both ends of a URL
const trimUrl = (text: string) => text.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')

/** An attribute value as the browser reads it, except that merge tags are kept exactly as written. */
const readValue = (raw: string) => trimUrl(mapMergeTags(raw, (tag) => tag, decodeHTMLAttribute))

const escapes: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;', '>': '&gt;' }
const escapeText = (text: string) => text.replace(/[&"'<>]/g, (c) => escapes[c]!)

/** A quoted attribute value: text escaped, merge tags byte for byte (in quotes they do not contain). */
function quoted(value: string): string | undefined {
  const tags = findMergeTags(value).map((tag) => tag.text)
  const quote = tags.some((tag) => tag.includes('"')) ? "'" : '"'
  if (tags.some((tag) => tag.includes(quote))) return undefined
  return quote + mapMergeTags(value, (tag) => tag, escapeText) + quote
}

/** The text of the HTML's `<title>`, entities decoded and white space folded; '' when it has none. */
function titleOf(html: string): string {
  const match = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html)
  return match ? decodeHTMLAttribute(match[1]!).replace(/\s+/g, ' ').trim() : ''
}

/**
 * The subject the `<title>` gives, or '' when it is a merge tag or holds one that names the subject: Mailchimp's
 * `*|MC:SUBJECT|*`, `{{ campaign.subject }}` and their kin stand for the subject the sending service fills in, and
 * would otherwise be shown, as written, as every email's subject. A title that only personalises its text
 * (`Hi {{first_name}}, 20% off`) is the subject as written, and kept. Without a subject the report names the email
 * by its campaign; `warnings` says how to set one.
 */
function titleAsSubject(html: string, warnings: string[]): string {
  const title = titleOf(html)
  if (!standsForSubject(title)) return title
  warnings.push(
    `the <title> "${title}" stands for the subject your service fills in: the report names this email by its campaign; ` +
      'set the subject line with --subject (the subject option)',
  )
  return ''
}

/**
 * The document's base URL, when its first `<base href>` (the one that counts) is an absolute http(s) address
 * without a merge tag; undefined otherwise, and relative links are then left alone.
 */
function baseUrlOf(html: string): string | undefined {
  for (const tag of startTags(html)) {
    const href = tag.name === 'base' ? attribute(tag, 'href') : undefined
    if (!href) continue
    const url = readValue(href.raw)
    return /^https?:/i.test(url) && findMergeTags(url).length === 0 ? parses(url)?.href : undefined
  }
  return undefined
}

/**
 * A relative link resolved against the base URL, as a browser follows it, its merge tags kept as written: each
 * stands in for the resolution as a run of letters that the URL parser leaves alone.
 */
function resolveKeepingTags(url: string, baseUrl: string): string | undefined {
  const tags = findMergeTags(url).map((tag) => tag.text)
  const stand = (n: number) => `spoortag${n}x`
  let resolved = parses(
    mapMergeTags(url, (_, n) => stand(n)),
    baseUrl,
  )?.href
  tags.forEach((tag, n) => {
    resolved = resolved?.replace(stand(n), tag)
  })
  return resolved
}

/**
 * Whether a start tag is a link spoor would track, and to which destination (undefined: left alone): a relative
 * link is resolved against the `<base href>` when the document has an absolute one.
 */
function destinationOf(tag: StartTag, baseUrl: string | undefined): string | undefined {
  if (!isLinkElement(tag)) return undefined
  const href = attribute(tag, 'href')
  if (!href || href.start === href.end) return undefined
  const url = readValue(href.raw)
  return baseUrl && whyLeftAlone(url) === 'relative link' ? (resolveKeepingTags(url, baseUrl) ?? url) : url
}

/**
 * Where the pixel goes: first in the body; in a document without a `<body>` tag, after its head, its `<html>` tag or
 * its doctype, never before them: a doctype that is not the first thing puts the mail in quirks mode, and an image
 * before the head ends the head early.
 */
function pixelPlace(html: string, bodyEnd: number | undefined, htmlEnd: number | undefined): number {
  if (bodyEnd !== undefined) return bodyEnd
  const headClose = /<\/head\s*>/gi
  headClose.lastIndex = htmlEnd ?? 0
  const head = headClose.exec(html)
  if (head) return head.index + head[0].length
  if (htmlEnd !== undefined) return htmlEnd
  return /^\s*<!doctype[^>]*>/i.exec(html)?.[0].length ?? 0
}

/**
 * The id each destination takes when a link to it has none of its own: the name one of its links was given with
 * `data-spoor-link` (so Outlook's VML button and its `<a>` twin count as one link even when only one is named),
 * else a number, in order of first appearance among the unnamed destinations.
 */
function idsByDestination(html: string, baseUrl: string | undefined): Map<string, string> {
  const named = new Map<string, string>()
  for (const tag of startTags(html)) {
    const url = destinationOf(tag, baseUrl)
    const name = attribute(tag, 'data-spoor-link')
    if (url !== undefined && name?.raw && !named.has(url)) named.set(url, decodeHTMLAttribute(name.raw))
  }
  return named
}

/**
 * Adds the open pixel to an HTML email and rewrites each of its http(s) links to a tracked, signed link, relative
 * ones too under an absolute `<base href>` (resolved as a browser does). Leaves alone `mailto:`, `tel:`, anchors,
 * other relative links, links marked `data-spoor-skip` or in `options.skip`, unsubscribe and list-management links
 * (see `whySkipped`) and links already tracked by this collector; every other byte of the HTML, merge tags included, is kept as written, so the
 * sending service fills in the recipient after signing. A link may name itself with `data-spoor-link="hero"`;
 * otherwise links are numbered by destination, in order of first appearance.
 *
 * @example
 * const { html } = instrumentEmail(template, {
 *   campaign: 'spring-sale', writeKey: 'KEY', base: 'https://t.example.com', recipient: '{{id}}', signingKey,
 * })
 */
export function instrumentEmail(html: string, options: InstrumentOptions): InstrumentedEmail {
  const { base, emailId, fields } = instrumentFields(html, options)
  const edits: { start: number; end: number; text: string }[] = []
  const links = new Map<string, InstrumentedLink>()
  const baseUrl = baseUrlOf(html)
  const idsByUrl = idsByDestination(html, baseUrl)
  let numbered = 0
  const skipped: InstrumentedEmail['skipped'] = []
  let bodyEnd: number | undefined
  let htmlEnd: number | undefined
  let hasPixel = false
  const warnings: string[] = []

  let amp = false
  let sawTag = false
  for (const tag of startTags(html)) {
    sawTag = true
    if (tag.name === 'html') amp ||= tag.attributes.some((a) => a.name === '⚡4email' || a.name === 'amp4email')
    if (tag.name === 'body') bodyEnd ??= tag.end
    if (tag.name === 'html') htmlEnd ??= tag.end
    if (tag.name === 'img' || tag.name === 'amp-img') {
      const src = attribute(tag, 'src')
      if (src && readValue(src.raw).startsWith(base + emailPaths.open + '?')) hasPixel = true
    }
    const url = destinationOf(tag, baseUrl)
    if (url === undefined) continue
    const href = attribute(tag, 'href')!
    const leave = (reason: string) => void skipped.push({ url, reason })
    if (attribute(tag, 'data-spoor-skip')) {
      leave('marked data-spoor-skip')
      continue
    }
    if (url.startsWith(base + emailPaths.click + '?')) {
      leave('already tracked')
      continue
    }
    const reason = whySkipped(url, options.skip) ?? whyNotSigned(url)
    if (reason) {
      leave(reason)
      continue
    }
    const named = attribute(tag, 'data-spoor-link')
    let linkId = named?.raw ? decodeHTMLAttribute(named.raw) : idsByUrl.get(url)
    if (linkId === undefined) {
      linkId = String(++numbered)
      idsByUrl.set(url, linkId)
    }
    const tracked = quoted(clickUrl(base, { ...fields, linkId, url, recipient: options.recipient }, options.signingKey))
    if (!tracked) {
      leave('merge tags hold both kinds of quote: cannot be placed in an attribute')
      continue
    }
    edits.push({ start: href.start, end: href.end, text: tracked })
    const link = links.get(`${linkId}\n${url}`) ?? { linkId, url, count: 0 }
    link.count++
    links.set(`${linkId}\n${url}`, link)
  }

  if (htmlEnd === undefined && bodyEnd === undefined && !sawTag) {
    // A plain-text part would get an <img> tag as its first line, shown as such to every reader.
    throw new InstrumentError(
      'no HTML tag in it: this looks like the plain-text part, which has no pixel; give the HTML part, or sign its links with --text (instrumentText)',
    )
  }
  if (!hasPixel) {
    // First thing in the body rather than last: Gmail clips messages over about 100 KB, and a pixel at the end of a
    // clipped message is never loaded.
    const subject = (options.subject ?? titleAsSubject(html, warnings)).slice(0, 200)
    const src = quoted(openPixelUrl(base, { ...fields, recipient: options.recipient, subject }, options.signingKey))!
    // The AMP part of a mail (text/x-amp-html) allows no <img>: one would make Gmail and Yahoo reject the part and
    // show the HTML part instead.
    const pixel = amp
      ? `<amp-img src=${src} width="1" height="1" alt="" layout="fixed"></amp-img>`
      : `<img src=${src} width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;margin:0;padding:0">`
    const at = pixelPlace(html, bodyEnd, htmlEnd)
    edits.push({ start: at, end: at, text: pixel })
  }
  edits.sort((a, b) => b.start - a.start)
  let out = html
  for (const edit of edits) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end)
  const bytes = { before: Buffer.byteLength(html), after: Buffer.byteLength(out) }
  const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`
  if (bytes.after > gmailClipBytes) {
    warnings.push(
      `the HTML is ${kb(bytes.after)} (${kb(bytes.before)} before tracking): Gmail clips a message past about 102 KB, ` +
        'hiding what follows (the footer and unsubscribe link included); the open pixel, first in the body, still counts',
    )
  }
  return { html: out, emailId, links: [...links.values()], skipped, pixelAdded: !hasPixel, bytes, warnings }
}
