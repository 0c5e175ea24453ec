/**
 * SQL of `Element Clicked` events whose flag (`outbound` or `download`, set at ingest) is true, grouped by the link
 * without its query and fragment (which may hold a person's values): columns `link`, `clicks`, `visitors`.
 */
export const linkClicksSql = (flag: 'outbound' | 'download') => `
  SELECT regexp_replace(prop_href, '[?#].*$', '') AS link, count(*) AS clicks, count(DISTINCT visitor_key) AS visitors
  FROM events
  WHERE event = 'Element Clicked' AND (properties->>'$.${flag}') = 'true' AND prop_href IS NOT NULL
  GROUP BY link ORDER BY clicks DESC, link LIMIT 10`
