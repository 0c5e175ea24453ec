import type { CampaignContext } from './envelope.js'

// Campaign parameters. utm_campaign is the campaign's `name` in the Segment spec, the other utm_* lose their
// prefix; `spoor_c` is the click id that spoor's email click route appends to a link's destination.
const campaignKeys = /^(utm_(campaign|source|medium|term|content)|gclid|fbclid|msclkid|ttclid|spoor_c)$/

/** `context.campaign` from a URL's query string; undefined when it carries no campaign parameter. */
export function campaignFrom(search: string): CampaignContext | undefined {
  let campaign: CampaignContext | undefined
  new URLSearchParams(search).forEach((value, key) => {
    if (campaignKeys.test(key)) (campaign ??= {})[key == 'utm_campaign' ? 'name' : key.replace('utm_', '')] = value
  })
  return campaign
}
