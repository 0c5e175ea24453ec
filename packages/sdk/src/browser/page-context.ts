import type { CampaignContext, Context } from '@spoor/protocol'

// utm_campaign is the campaign's `name` in the Segment spec; the others keep their own names.
const utmFields: Record<string, string> = {
  utm_campaign: 'name',
  utm_source: 'source',
  utm_medium: 'medium',
  utm_term: 'term',
  utm_content: 'content',
}

/** `context.campaign` from a URL's query string; undefined when it carries no utm_* parameter. */
export function campaignFrom(search: string): CampaignContext | undefined {
  let campaign: CampaignContext | undefined
  new URLSearchParams(search).forEach((value, key) => {
    const field = utmFields[key]
    if (field) (campaign ??= {})[field] = value
  })
  return campaign
}

/**
 * Builds the browser's part of every event's context. What cannot change during a page's life is read once;
 * the page itself is read per event, because single-page apps change it.
 */
export function createPageContext(): () => Context {
  const fixed: Context = {
    userAgent: navigator.userAgent,
    locale: navigator.language,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    screen: { width: screen.width, height: screen.height, density: devicePixelRatio },
  }
  return () => {
    const { href, pathname, search } = location
    return {
      ...fixed,
      page: { path: pathname, referrer: document.referrer, search, title: document.title, url: href },
      campaign: campaignFrom(search),
    }
  }
}
