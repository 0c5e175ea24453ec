import type { CampaignContext } from './envelope.js'

// Campaign parameters. utm_campaign is the campaign's `name` in the Segment spec, the other utm_* lose their
// prefix; `spoor_c` is the click id that spoor's email click route appends to a link's destination.
const campaignKeys = /^(utm_(campaign|source|medium|term|content)|gclid|fbclid|msclkid|ttclid|spoor_c)$/

/** A query-string component as `URLSearchParams` reads it: `+` is a space, a malformed escape stays as written. */
const decode = (text: string) => {
  text = text.replace(/\+/g, ' ')
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/**
 * `context.campaign` from a URL's query string (with or without its `?`); undefined when it carries no campaign
 * parameter. Read without `URLSearchParams`, which the protocol's environment-free code cannot assume.
 */
export function campaignFrom(search: string): CampaignContext | undefined {
  let campaign: CampaignContext | undefined
  for (const pair of search.replace(/^\?/, '').split('&')) {
    const at = pair.indexOf('=')
    const key = decode(at < 0 ? pair : pair.slice(0, at))
    if (campaignKeys.test(key)) {
      campaign ??= {}
      campaign[key === 'utm_campaign' ? 'name' : key.replace('utm_', '')] = decode(at < 0 ? '' : pair.slice(at + 1))
    }
  }
  return campaign
}
