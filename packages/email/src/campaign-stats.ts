import type { EventLine } from '@spoor/protocol'
import { type Classification, classifications, isMachine } from './classification.js'
import { attributeConversions, type ConversionOptions } from './conversions.js'
import { standsForSubject } from './merge-tags.js'

/** Counts of opens or clicks, split between people and machines and by classification. */
export interface Tally {
  total: number
  /** `human` and `gmail_proxy` (a person opening in Gmail), and events without a classification. */
  people: number
  /** `apple_mpp`, `scanner`, `bot`. */
  machines: number
  by: Record<Classification | 'unclassified', number>
}

/** One hour of a campaign's activity. */
export interface CampaignHour {
  /** The hour's start, ISO 8601 UTC. */
  hour: string
  opens: number
  clicks: number
  /** Opens and clicks by machines. */
  machines: number
}

/** What a sender sees of one campaign. */
export interface CampaignStats {
  campaignId: string
  emailIds: string[]
  /** The subject line of each email, as most of its opens name it, in the order of `emailIds` (where known). */
  subjects: string[]
  opens: Tally
  clicks: Tally
  /**
   * Distinct recipient ids (events without one are counted in the tallies, not here). `reached`: any open or click,
   * machines' included, the nearest spoor comes to "delivered" (Apple's and scanners' fetches come on delivery).
   */
  recipients: { reached: number; opened: number; openedByPeople: number; clicked: number; clickedByPeople: number }
  /**
   * Each link with its destination as the email wrote it (merge tags unfilled): never one recipient's filled-in
   * values, which the click that happened to come first would otherwise show for the whole campaign. One row per id
   * and destination: the emails of a campaign may give one id to different links.
   */
  links: { linkId: string; linkUrl: string; clicks: Tally }[]
  /** Opens and clicks by people, and by machines, per hour, in time order. */
  timeline: CampaignHour[]
  /** Orders attributed to the campaign's clicks; revenue per currency. */
  conversions: { orders: number; fromPeople: number; revenue: Record<string, number> }
}

/** Which events `campaignStats` reads, and how orders are attributed. */
export interface CampaignStatsOptions extends ConversionOptions {
  /** Only the events of this site. */
  writeKey?: string
}

const emptyTally = (): Tally => ({
  total: 0,
  people: 0,
  machines: 0,
  by: { human: 0, apple_mpp: 0, gmail_proxy: 0, scanner: 0, bot: 0, unclassified: 0 },
})

function count(tally: Tally, classification: unknown) {
  tally.total++
  if (isMachine(classification)) tally.machines++
  else tally.people++
  tally.by[
    classifications.includes(classification as Classification) ? (classification as Classification) : 'unclassified'
  ]++
}

const text = (value: unknown) => (typeof value === 'string' ? value : value == null ? null : String(value))

/**
 * A campaign-level destination: the link as the email wrote it when the click says so, else the address clicked
 * without its query values and fragment (they may be the recipient's own: `?ref=Ada`).
 */
function campaignUrl(p: Record<string, unknown>): string {
  const template = text(p.link_template)
  if (template) return template
  const url = text(p.link_url) ?? ''
  const query = url.indexOf('?')
  if (query < 0) return url.replace(/#.*$/, '')
  const keys = url
    .slice(query + 1)
    .replace(/#.*$/, '')
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]}=…`)
  return `${url.slice(0, query)}?${keys.join('&')}`
}

const hourOf = (iso: string) => `${iso.slice(0, 13)}:00:00.000Z`

/**
 * Opens, clicks, distinct recipients and attributed orders per campaign, machines split out, from the events of
 * the NDJSON files (deduplicated by messageId). The same numbers the `spoor email report` page shows.
 *
 * @example
 * const stats = campaignStats(await readEventLines('./data'))
 * stats[0].opens // → { total: 4, people: 2, machines: 2, by: { human: 1, gmail_proxy: 1, apple_mpp: 1, scanner: 1, … } }
 */
export function campaignStats(events: Iterable<EventLine>, options: CampaignStatsOptions = {}): CampaignStats[] {
  const unique = new Map<string, EventLine>()
  for (const event of events) {
    if (options.writeKey && event.writeKey !== options.writeKey) continue
    if (!unique.has(event.messageId)) unique.set(event.messageId, event)
  }
  type Working = CampaignStats & {
    sets: Record<keyof CampaignStats['recipients'], Set<string>>
    subjectVotes: Map<string, Map<string, number>>
    hours: Map<string, CampaignHour>
  }
  const campaigns = new Map<string, Working>()
  const campaign = (id: string) => {
    let stats = campaigns.get(id)
    if (!stats) {
      stats = {
        campaignId: id,
        emailIds: [],
        subjects: [],
        opens: emptyTally(),
        clicks: emptyTally(),
        recipients: { reached: 0, opened: 0, openedByPeople: 0, clicked: 0, clickedByPeople: 0 },
        links: [],
        timeline: [],
        conversions: { orders: 0, fromPeople: 0, revenue: {} },
        sets: {
          reached: new Set(),
          opened: new Set(),
          openedByPeople: new Set(),
          clicked: new Set(),
          clickedByPeople: new Set(),
        },
        subjectVotes: new Map(),
        hours: new Map(),
      }
      campaigns.set(id, stats)
    }
    return stats
  }

  for (const event of unique.values()) {
    const open = event.event === 'Email Opened'
    if (event.type !== 'track' || (!open && event.event !== 'Email Link Clicked')) continue
    const p = event.properties
    const stats = campaign(text(p.campaign_id) ?? '(no campaign)')
    const emailId = text(p.email_id)
    if (emailId && !stats.emailIds.includes(emailId)) stats.emailIds.push(emailId)
    const recipient = text(p.recipient_id)
    const person = !isMachine(p.classification)
    count(open ? stats.opens : stats.clicks, p.classification)
    // A tag standing for the subject is no subject: a pixel made from a `<title>` of `*|MC:SUBJECT|*` named it.
    const subject = text(p.email_subject)
    if (emailId && subject && !standsForSubject(subject)) {
      const votes = stats.subjectVotes.get(emailId) ?? new Map<string, number>()
      votes.set(subject, (votes.get(subject) ?? 0) + 1)
      stats.subjectVotes.set(emailId, votes)
    }
    const hour = hourOf(event.timestamp)
    const bucket = stats.hours.get(hour) ?? { hour, opens: 0, clicks: 0, machines: 0 }
    if (!person) bucket.machines++
    else if (open) bucket.opens++
    else bucket.clicks++
    stats.hours.set(hour, bucket)
    if (recipient) {
      stats.sets.reached.add(recipient)
      stats.sets[open ? 'opened' : 'clicked'].add(recipient)
      if (person) stats.sets[open ? 'openedByPeople' : 'clickedByPeople'].add(recipient)
    }
    if (!open) {
      const linkId = text(p.link_id) ?? '(no link id)'
      // By id and destination: each email of a campaign (an A/B variant, a resend) numbers its own links, so link 1
      // of one is not link 1 of the other; a link named alike and leading alike in both is one row.
      const linkUrl = campaignUrl(p)
      let link = stats.links.find((l) => l.linkId === linkId && l.linkUrl === linkUrl)
      if (!link) {
        link = { linkId, linkUrl, clicks: emptyTally() }
        stats.links.push(link)
      }
      count(link.clicks, p.classification)
    }
  }

  for (const { order, click } of attributeConversions(unique.values(), options)) {
    const stats = campaign(text(click.properties.campaign_id) ?? '(no campaign)')
    stats.conversions.orders++
    if (!isMachine(click.properties.classification)) stats.conversions.fromPeople++
    const p = order.properties
    const amount = [p.revenue, p.total, p.value].find((v) => typeof v === 'number') as number | undefined
    if (amount !== undefined) {
      const currency = text(p.currency) ?? '?'
      stats.conversions.revenue[currency] =
        Math.round(((stats.conversions.revenue[currency] ?? 0) + amount) * 100) / 100
    }
  }

  return [...campaigns.values()]
    .map(({ sets, subjectVotes, hours, ...stats }) => ({
      ...stats,
      // Where opens disagree (unsigned pixels of mail sent before pixels were signed), the subject most name.
      subjects: stats.emailIds.flatMap((id) => {
        const votes = [...(subjectVotes.get(id) ?? [])].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        return votes[0] ? [votes[0][0]] : []
      }),
      timeline: [...hours.values()].sort((a, b) => a.hour.localeCompare(b.hour)),
      recipients: {
        reached: sets.reached.size,
        opened: sets.opened.size,
        openedByPeople: sets.openedByPeople.size,
        clicked: sets.clicked.size,
        clickedByPeople: sets.clickedByPeople.size,
      },
      links: stats.links.sort((a, b) => a.linkId.localeCompare(b.linkId, 'en', { numeric: true })),
    }))
    .sort((a, b) => a.campaignId.localeCompare(b.campaignId))
}
