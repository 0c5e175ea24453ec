import { mostWithVisitors } from './most-with-visitors.js'

/**
 * SQL of `Element Clicked` events whose flag (`outbound` or `download`, set at ingest) is true, grouped by the link
 * without its query and fragment (which may hold a person's values): the ten most clicked, columns `link`,
 * `clicks`, `visitors`.
 */
export const linkClicksSql = (flag: 'outbound' | 'download') => `
  SELECT value AS link, n AS clicks, visitors FROM (${mostWithVisitors({
    from: 'events',
    key: `regexp_replace(prop_href, '[?#].*$', '')`,
    visitor: 'visitor_key',
    where: `event = 'Element Clicked' AND (properties->>'$.${flag}') = 'true' AND prop_href IS NOT NULL`,
    limit: 10,
  })}) ORDER BY clicks DESC, link`
