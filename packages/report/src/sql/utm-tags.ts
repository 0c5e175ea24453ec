/**
 * SQL of the visitor's own lines tagged with a utm term or content: their `session_id` and the `tag`, read from the
 * line's campaign (`ctx_campaign`, the whole campaign as JSON text), which a text test finds first, sparing the JSON
 * reading of every campaign's line. The sources panel lists these tags and their filters match them.
 */
export const utmTagged = (tag: 'term' | 'content') =>
  `SELECT session_id, ctx_campaign->>'${tag}' AS tag FROM events WHERE NOT derived AND ctx_campaign LIKE '%"${tag}"%'`
