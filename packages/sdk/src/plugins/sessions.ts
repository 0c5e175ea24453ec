import { type CampaignContext, campaignFrom } from '@spoor/protocol'
import type { GatedKeyValue } from '../core/gated-key-value.js'
import type { Plugin } from '../core/plugin.js'
import { uuid } from '../core/uuid.js'

export { campaignFrom }

/** The session as kept in storage (`spoor.session`); the names are stored, so they stay. */
interface Session {
  id: string
  number: number
  /** Last activity, ms since the epoch. */
  at: number
  campaign?: CampaignContext | undefined
}

/**
 * Sessions and campaigns. Every event gets `context.session` {id, number}, `context.campaign` (the session's: the
 * campaign parameters of the page that started it, kept on every later page) and `context.first_campaign` (the
 * first ever seen on this device). A new session starts after `timeout` without events, or when a page arrives
 * with other campaign parameters than the session's. Kept in storage (`spoor.session`, `spoor.first`), so tabs
 * and visits share them; storage follows consent.
 *
 * @param timeout inactivity that ends a session, in ms (default 30 minutes)
 * @example
 * createTracker({ writeKey, endpoint, plugins: [pageviews(), sessions()] })
 */
export const sessions = (timeout = 18e5): Plugin => {
  let storage: GatedKeyValue
  return {
    name: 'sessions',
    setup(tracker) {
      storage = tracker.storage
    },
    enrich(event) {
      const context = event.context!
      // From the recorded URL's query: redacted first in the npm SDK (`redaction.ts`); from the script tag, the collector
      // redacts a campaign value holding an email, as it redacts the URL.
      const campaign = campaignFrom(context.page!.url!.split('#')[0]!.split('?')[1] ?? '')
      const now = Date.now()
      const json = JSON.stringify(campaign)
      let session: Session | null = JSON.parse(storage._get('spoor.session')!)
      let first = storage._get('spoor.first')
      if (!session || now - session.at > timeout || (campaign && json !== JSON.stringify(session.campaign))) {
        session = { id: uuid(), number: (session?.number ?? 0) + 1, at: now, campaign }
      }
      session.at = now
      storage._set('spoor.session', JSON.stringify(session))
      if (campaign && !first) {
        first = json
        storage._set('spoor.first', first)
      }
      context.session = { id: session.id, number: session.number }
      context.campaign = session.campaign
      context.first_campaign = JSON.parse(first!) ?? undefined
      return event
    },
  }
}
