import { createHash } from 'node:crypto'
import { findMergeTags, isLogicTag, mapMergeTags } from './merge-tags.js'

/** What `instrumentEmail` and `instrumentText` need to know. */
export interface InstrumentOptions {
  /** The campaign id every open and click of this email is counted under. */
  campaign: string
  /** The write key of the site the events belong to. */
  writeKey: string
  /** The collector's public address, such as `https://t.example.com`. */
  base: string
  /** The key that signs the links and the open pixel: the first of the config's `email.signingKeys`. */
  signingKey: string
  /** The recipient id, usually a merge tag such as `{{id}}` (kept byte for byte); default: none. */
  recipient?: string | undefined
  /** The id of this email within the campaign; default: the first 10 hex digits of the HTML's SHA-256. */
  emailId?: string | undefined
  /**
   * The subject line, which the report shows beside the email; default: the HTML's `<title>`, unless it is a merge
   * tag or holds one naming the subject (`*|MC:SUBJECT|*`: the service's, filled in per send; then none, with a
   * warning). Travels in the open pixel's address, its merge tags percent-encoded so that the sending service leaves
   * them unfilled (a first name in a subject is one recipient's, not the campaign's).
   */
  subject?: string | undefined
  /**
   * Links to leave as written: a link whose destination, as written, starts with one of these is not tracked. The
   * plain-text part's way to mark a link, which `data-spoor-skip` does in HTML; default: none.
   */
  skip?: readonly string[] | undefined
}

/** A destination of the email and the tracked links that lead to it. */
export interface InstrumentedLink {
  linkId: string
  /** The destination as written in the email (entities decoded), merge tags included. */
  url: string
  /** How many links of the email lead there under this id. */
  count: number
}

/** A mistake in what `instrumentEmail` or `instrumentText` was given. */
export class InstrumentError extends Error {
  override name = 'InstrumentError'
}

/** A URL parsed, against `base` when given; undefined when it does not parse. */
export function parses(url: string, base?: string): URL | undefined {
  try {
    return new URL(url, base)
  } catch {
    return undefined
  }
}

/** Why a link is not an http(s) address spoor would track: an anchor, another scheme, a relative link, a merge tag. */
export function whyLeftAlone(url: string): string | undefined {
  if (/^https?:/i.test(url)) return undefined
  if (url.startsWith('#')) return 'anchor'
  if (findMergeTags(url)[0]?.index === 0) return 'merge tag: the sending service fills it in'
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]
  return scheme ? `${scheme.toLowerCase()}: link` : 'relative link'
}

/** Whether filling the merge tags in could change the scheme, user, host or port: such a link cannot be signed. */
function tagsReachAuthority(url: string): boolean {
  const [a, b] = ['a', 'b'].map((fill) => parses(mapMergeTags(url, () => fill)))
  if (!a || !b) return true
  return (
    [a.protocol, a.username, a.password, a.host].join('\n') !== [b.protocol, b.username, b.password, b.host].join('\n')
  )
}

/**
 * Why a link cannot be signed, or undefined when it can: not http(s), a merge tag that could change its host, or
 * template logic whose output cannot be known in advance.
 */
export function whyNotSigned(url: string): string | undefined {
  return (
    whyLeftAlone(url) ??
    (tagsReachAuthority(url) ? 'merge tag in the scheme, host or port: cannot be signed' : undefined) ??
    (findMergeTags(url).some((tag) => isLogicTag(tag.text))
      ? 'template logic ({% if %}, {{#if}}, *|IF:|*) in the link: put it around whole links instead'
      : undefined)
  )
}

// Unsubscribe and list-management pages, by the words of their path: `/unsubscribe` (Mailchimp's list-manage.com,
// SendGrid's `/asm/unsubscribe/`, Klaviyo's `/subscriptions/unsubscribe`), `/opt-out`, `/email-preferences`
// (HubSpot's `/hs/manage-preferences/`), `/manage-subscriptions`. A whole word only: `/unsubscribed-socks` is a page.
const listPath = /(?:^|[^a-z])(?:unsub(?:scribe)?|opt[-_]?out|preferences|manage[-_]?subscriptions?)(?:[^a-z]|$)/i
// The same said in the query (`?action=unsubscribe`), and a merge tag in the link that names such a page
// (`{{unsubscribe_token}}`, `{{ preferences_url }}`).
const listQuery = /(?:^|[^a-z])(?:unsub(?:scribe)?|opt[-_]?out)(?:[^a-z]|$)/i
const listTag = /unsub|opt[-_]?out|preferences?[-_. ]?(?:url|link|page|cent(?:er|re))|list[-_]?manage/i

/**
 * Why a link is left as written for the sender, the same in an HTML part and a text part: marked to skip (the
 * `skip` option, `--skip`), or an unsubscribe or list-management link. Those are the sending service's and the law's:
 * a tracked one would take a reader who wants out through one more address, count a security gateway's check of it
 * as a click, and put the reader's unsubscribing in the campaign's click rate. Services' own unsubscribe merge tags
 * (`*|UNSUB|*`, `{{unsubscribe_url}}`, `%unsubscribe_url%`, `[unsubscribe]`) are no http(s) address and are never
 * signed anyway.
 */
export function whySkipped(url: string, skip: readonly string[] = []): string | undefined {
  if (skip.some((start) => start !== '' && url.startsWith(start))) return 'marked to skip'
  if (whyLeftAlone(url)) return undefined
  const parsed = parses(mapMergeTags(url, () => 'x'))
  const query = parsed ? parsed.search : ''
  if (
    (parsed && listPath.test(decodeURIComponentSafe(parsed.pathname))) ||
    listQuery.test(query) ||
    findMergeTags(url).some((tag) => listTag.test(tag.text))
  ) {
    return 'unsubscribe or list-management link: left as written'
  }
  return undefined
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/**
 * What every instrumenting starts from, an HTML part's or a text part's: the options checked (throws
 * {@link InstrumentError}), the collector's address without a trailing slash, the email id (`options.emailId`, else
 * one from the content), and the fields each tracked link and pixel carries.
 */
export function instrumentFields(content: string, options: InstrumentOptions) {
  checkOptions(options)
  const base = options.base.replace(/\/+$/, '')
  const emailId = options.emailId ?? createHash('sha256').update(content).digest('hex').slice(0, 10)
  return { base, emailId, fields: { writeKey: options.writeKey, campaignId: options.campaign, emailId } }
}

/** Checks the options every instrumenting needs; throws {@link InstrumentError}. */
function checkOptions(options: InstrumentOptions) {
  const fail = (message: string): never => {
    throw new InstrumentError(message)
  }
  if (!options.campaign) fail('a campaign id is needed')
  if (!options.writeKey) fail('a write key is needed')
  if (!options.signingKey || options.signingKey.length < 32) fail('the signing key must be 32 characters or more')
  const base = parses(options.base)
  if (!base || !/^https?:$/.test(base.protocol) || base.search || base.hash) {
    fail(`the base "${options.base}" must be the collector's address, like https://t.example.com`)
  }
  const recipient = options.recipient ?? ''
  if (findMergeTags(recipient).some((tag) => tag.text.includes('"') && tag.text.includes("'"))) {
    fail('the recipient merge tag holds both kinds of quote: it cannot be placed in an attribute')
  }
}
