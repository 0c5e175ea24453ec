/**
 * The channels a visit can come through, in the order their rules are tried: the default channel groups web
 * analytics tools share (Google Analytics' definitions, which Plausible follows), fewer of them: no shopping,
 * video, audio or SMS channels of their own.
 */
export const channels = [
  'Direct',
  'Display',
  'Paid Search',
  'Paid Social',
  'Paid Other',
  'Email',
  'Affiliates',
  'Organic Social',
  'Organic Search',
  'Referral',
  'Unassigned',
] as const

// Referrer hosts, matched at the end of the host (`www.google.co.uk`, `m.facebook.com`). Mail hosts are tried
// first: `mail.google.com` is an email, not a search.
const mailHosts = String.raw`(^|\.)(mail\.google\.com|outlook\.live\.com|outlook\.office(365)?\.com|mail\.yahoo\.com|mail\.proton\.me|webmail\.[a-z0-9.-]+)$`
const searchHosts = String.raw`(^|\.)((google|bing|yahoo|duckduckgo|yandex|baidu|ecosia|qwant|startpage|naver|seznam|ask|aol|sogou|daum)\.[a-z]{2,3}(\.[a-z]{2})?|search\.brave\.com)$`
const socialHosts = String.raw`(^|\.)(facebook\.com|fb\.com|fb\.me|instagram\.com|twitter\.com|t\.co|x\.com|linkedin\.com|lnkd\.in|reddit\.com|pinterest\.[a-z.]+|tiktok\.com|youtube\.com|youtu\.be|threads\.net|mastodon\.social|bsky\.app|news\.ycombinator\.com|quora\.com|vk\.com|weibo\.com|snapchat\.com|tumblr\.com|discord\.com|t\.me|whatsapp\.com)$`
// utm_source values that name the same sites.
const searchNames =
  '^(google|bing|yahoo|duckduckgo|yandex|baidu|ecosia|qwant|startpage|naver|seznam|ask|aol|sogou|daum|brave)$'
const socialNames =
  '^(facebook|fb|instagram|ig|twitter|x|linkedin|reddit|pinterest|tiktok|youtube|threads|mastodon|bluesky|bsky|hackernews|hn|quora|vk|weibo|snapchat|tumblr|discord|telegram|whatsapp)$'
// utm_medium values.
const paidMedium = '^(.*cp.*|ppc|retargeting|paid.*)$'
const displayMedium = '^(display|banner|expandable|interstitial|cpm)$'
const socialMedium = '^(social|social-network|social-media|sm|social network|social media)$'
const referralMedium = '^(referral|app|link)$'
const emailTag = 'e[-_ ]?mail|newsletter'

/** The columns of a visit {@link channelSql} reads. */
export interface ChannelColumns {
  /** The referrer's host, or `(direct)` (a visit summary's `source`). */
  host: string
  utmSource: string
  utmMedium: string
}

/**
 * SQL of a visit's channel (one of {@link channels}) from its referrer's host and its first utm source and medium,
 * the visit summaries' `source`, `utm_source` and `utm_medium` by default: tags win over the referrer (a paid
 * link from a search engine is Paid Search, not Organic Search), and a visit with neither is Direct.
 */
export function channelSql(
  columns: ChannelColumns = { host: 'source', utmSource: 'utm_source', utmMedium: 'utm_medium' },
) {
  const host = `lower(coalesce(${columns.host}, '(direct)'))`
  const source = `lower(coalesce(${columns.utmSource}, ''))`
  const medium = `lower(coalesce(${columns.utmMedium}, ''))`
  const matches = (value: string, pattern: string) => `regexp_matches(${value}, '${pattern}')`
  const search = `(${matches(source, searchNames)} OR ${matches(host, searchHosts)})`
  const social = `(${matches(source, socialNames)} OR ${matches(host, socialHosts)})`
  const paid = matches(medium, paidMedium)
  return `CASE
    WHEN ${host} = '(direct)' AND ${source} = '' AND ${medium} = '' THEN 'Direct'
    WHEN ${matches(medium, displayMedium)} THEN 'Display'
    WHEN ${paid} AND ${search} THEN 'Paid Search'
    WHEN ${paid} AND ${social} THEN 'Paid Social'
    WHEN ${paid} THEN 'Paid Other'
    WHEN ${matches(source, emailTag)} OR ${matches(medium, emailTag)} OR ${matches(host, mailHosts)} THEN 'Email'
    WHEN ${medium} = 'affiliate' THEN 'Affiliates'
    WHEN ${social} OR ${matches(medium, socialMedium)} THEN 'Organic Social'
    WHEN ${search} OR ${medium} = 'organic' THEN 'Organic Search'
    WHEN ${host} <> '(direct)' OR ${matches(medium, referralMedium)} THEN 'Referral'
    ELSE 'Unassigned' END`
}
