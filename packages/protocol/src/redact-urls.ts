/** A URL's redaction: secret and personal parameter values become `redacted` (see `createRedactor`). */
export type RedactUrl = (url: string) => string

// Where an event holds a URL or a query: the page it was on, a page event's and a link's own fields, a media
// element's source (the SDK's id of a video without one), and an email's link (`link_url`: the destination its
// sender signed, which may hold an address or a token written in it; spoor's own clicks write no filled-in value).
const pageFields = ['url', 'referrer', 'search']
const propertyFields = ['url', 'referrer', 'search', 'href', 'content_asset_id', 'link_url']
// A campaign holds values read from a URL's query, without their parameter names: an email is what can hide there.
const campaignFields = ['campaign', 'first_campaign']
const personal = /@|%40/

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

// `redacted` can be longer than the value it replaces: past this growth (eight parameters' worth), a URL made of
// little else loses its whole query and fragment instead, so what an event grows by stays small.
const maxGrowth = 64

/** The value `redact` makes of a URL, its growth capped; the URL itself when it has no parameter to redact. */
function redactedUrl(url: string, redact: RedactUrl): string {
  // Only a parameter (`name=value`) can hold a secret: most URLs have none, and skip the pattern.
  if (!url.includes('=')) return url
  const redacted = redact(url)
  return redacted.length <= url.length + maxGrowth ? redacted : url.replace(/[?#][\s\S]*/, '?redacted')
}

// Replaces the string fields of `object` named in `fields` that hold a URL's secrets, in place; returns the growth.
// Runs on every event the collector takes: plain loops, and no function made per call.
function redactUrlFields(object: unknown, fields: string[], redact: RedactUrl): number {
  if (!isObject(object)) return 0
  let grown = 0
  for (let i = 0; i < fields.length; i++) {
    const value = object[fields[i]!]
    if (typeof value !== 'string') continue
    const redacted = redactedUrl(value, redact)
    if (redacted === value) continue
    object[fields[i]!] = redacted
    grown += redacted.length - value.length
  }
  return grown
}

/**
 * Strips secrets and personal data from every URL an event records, in place: `context.page.url`, `.referrer` and
 * `.search`, and the properties `url`, `referrer`, `search`, `href`, `content_asset_id` and `link_url`. A URL that would grow
 * by more than 64 characters loses its whole query and fragment (`?redacted`) instead. The collector runs it on
 * every event of every sender before anything is written (with {@link redactCampaigns}); the npm SDK also in the
 * browser. Anything that is not an event's usual shape is left as it is.
 *
 * @returns how many characters the event grew by: `redacted` can be longer than the value it replaces
 * @example
 * redactUrls(event, createRedactor(['order_ref']))
 */
export function redactUrls(event: unknown, redact: RedactUrl): number {
  if (!isObject(event)) return 0
  return (
    redactUrlFields(event.properties, propertyFields, redact) +
    (isObject(event.context) ? redactUrlFields(event.context.page, pageFields, redact) : 0)
  )
}

/**
 * Redacts, in place, the values of `context.campaign` and `context.first_campaign` that hold an email: a campaign
 * read from a URL before it was redacted (the script tag's `sessions()` plugin) or sent by a backend.
 *
 * @returns how many characters the event grew by
 */
export function redactCampaigns(event: unknown): number {
  if (!isObject(event) || !isObject(event.context)) return 0
  let grown = 0
  for (const field of campaignFields) {
    const campaign = event.context[field]
    if (!isObject(campaign)) continue
    for (const key in campaign) {
      const value = campaign[key]
      if (typeof value !== 'string' || !personal.test(value)) continue
      campaign[key] = 'redacted'
      grown += 'redacted'.length - value.length
    }
  }
  return grown
}
