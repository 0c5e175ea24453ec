/** A URL's redaction: secret and personal parameter values become `redacted` (see `createRedactor`). */
export type RedactUrl = (url: string) => string

// Where an event holds a URL or a query: the page it was on, a page event's and a link's own fields, and a media
// element's source (the SDK's id of a video without one).
const pageFields = ['url', 'referrer', 'search']
const propertyFields = ['url', 'referrer', 'search', 'href', 'content_asset_id']
// A campaign holds values read from a URL's query, without their parameter names: an email is what can hide there.
const campaignFields = ['campaign', 'first_campaign']
const personal = /@|%40/

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

// Replaces the string fields of `object` (`fields`, or all) that `redact` changes, in place; returns the growth.
function redactFields(object: unknown, redact: RedactUrl, fields?: string[]): number {
  if (!isObject(object)) return 0
  let grown = 0
  for (const field of fields ?? Object.keys(object)) {
    const value = object[field]
    if (typeof value !== 'string') continue
    const redacted = redact(value)
    if (redacted === value) continue
    object[field] = redacted
    grown += redacted.length - value.length
  }
  return grown
}

// `redacted` can be longer than the value it replaces: past this growth (eight parameters' worth), a URL made of
// little else loses its whole query and fragment instead, so what an event grows by stays small.
const maxGrowth = 64

const inUrl = (redact: RedactUrl) => (url: string) => {
  // Only a parameter (`name=value`) can hold a secret: most URLs have none, and skip the pattern.
  if (!url.includes('=')) return url
  const redacted = redact(url)
  return redacted.length <= url.length + maxGrowth ? redacted : url.replace(/[?#][\s\S]*/, '?redacted')
}
const inCampaign = (value: string) => (personal.test(value) ? 'redacted' : value)

/**
 * Strips secrets and personal data from every URL an event records, in place: `context.page.url`, `.referrer` and
 * `.search`, and the properties `url`, `referrer`, `search`, `href` and `content_asset_id`. A URL that would grow
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
  const url = inUrl(redact)
  return (
    redactFields(event.properties, url, propertyFields) +
    (isObject(event.context) ? redactFields(event.context.page, url, pageFields) : 0)
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
  for (const field of campaignFields) grown += redactFields(event.context[field], inCampaign)
  return grown
}
