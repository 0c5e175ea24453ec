import { describe, expect, it } from 'vitest'
import { openDb } from '../src/duckdb.js'
import { channelSql, channels } from '../src/sql/channels.js'

/** A visit's referrer host (`(direct)` for none), utm_source and utm_medium, and the channel it belongs to. */
const cases: [string, string | null, string | null, (typeof channels)[number]][] = [
  ['(direct)', null, null, 'Direct'],
  ['www.google.com', null, null, 'Organic Search'],
  ['www.google.co.uk', null, null, 'Organic Search'],
  ['duckduckgo.com', null, null, 'Organic Search'],
  ['search.brave.com', null, null, 'Organic Search'],
  ['(direct)', 'google', 'organic', 'Organic Search'],
  // Tags win over the referrer: a paid click from a search engine is paid.
  ['www.google.com', 'google', 'cpc', 'Paid Search'],
  ['(direct)', 'bing', 'ppc', 'Paid Search'],
  ['m.facebook.com', null, null, 'Organic Social'],
  ['t.co', null, null, 'Organic Social'],
  ['news.ycombinator.com', null, null, 'Organic Social'],
  ['(direct)', 'mastodon', 'social', 'Organic Social'],
  ['l.instagram.com', 'instagram', 'paid_social', 'Paid Social'],
  ['(direct)', 'partner', 'cpc', 'Paid Other'],
  ['(direct)', 'ads', 'banner', 'Display'],
  ['(direct)', 'newsletter', null, 'Email'],
  ['(direct)', 'spring', 'email', 'Email'],
  // A webmail is an email, though its host is a search engine's.
  ['mail.google.com', null, null, 'Email'],
  ['(direct)', 'partner', 'affiliate', 'Affiliates'],
  ['blog.example', null, null, 'Referral'],
  ['(direct)', 'partner', 'referral', 'Referral'],
  // A tag no rule knows, with no referrer: counted, not guessed.
  ['(direct)', 'flyer', 'print', 'Unassigned'],
  // Hosts that only look like the sites named.
  ['x.ai', null, null, 'Referral'],
  ['google.example.org', null, null, 'Referral'],
  ['GOOGLE.COM', null, 'CPC', 'Paid Search'],
]

describe('channels', () => {
  it('put each visit in one channel by its referrer and its first utm tags', async () => {
    const db = await openDb()
    try {
      const values = cases.map((_, i) => `($h${i}, $s${i}, $m${i}, ${i})`).join(', ')
      const params = Object.fromEntries(
        cases.flatMap(([host, source, medium], i) => [
          [`h${i}`, host],
          [`s${i}`, source],
          [`m${i}`, medium],
        ]),
      )
      const rows = await db.all<{ i: number; channel: string }>(
        `SELECT i, ${channelSql()} AS channel
         FROM (VALUES ${values}) AS v(source, utm_source, utm_medium, i) ORDER BY i`,
        params,
      )
      expect(rows.map((row) => [...cases[row.i]!.slice(0, 3), row.channel])).toEqual(cases)
      expect(new Set(rows.map((row) => row.channel))).toEqual(new Set(channels))
    } finally {
      db.close()
    }
  })
})
