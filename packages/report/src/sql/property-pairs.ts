/** The longest property key and value the goals panel shows, and a property filter compares. */
const propertyShown = 120

/**
 * SQL of every key and value of the visitor's own `track` events that also match `where` (SQL, `AND …`, or empty):
 * one row per key, with `session_id`, `visitor_key`, `property` and `value` as the goals panel shows them (cut to
 * {@link propertyShown} characters, a value as text) and `kind`, the value's JSON type. The panel lists these rows
 * and a property filter matches them, so a clicked row keeps exactly the visits it counted.
 *
 * The pairs come from json_each, not from a JSON path built from each key: a sender chooses the keys, and a path
 * misreads some of them (a trailing backslash escapes its closing quote, an empty key makes no path, `$.x` or `/p`
 * read as paths of their own), which failed the whole panel over one event.
 */
export const propertyPairsSql = (where: string) => `
  SELECT session_id, visitor_key, left(pair.key, ${propertyShown}) AS property,
         left(pair.value->>'$', ${propertyShown}) AS value, pair.type AS kind
  FROM (SELECT session_id, visitor_key, properties FROM events
        WHERE type = 'track' AND NOT derived AND json_type(properties) = 'OBJECT' ${where}) own,
       json_each(own.properties) pair`
