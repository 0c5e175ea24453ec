/** The longest property key and value the goals panel shows, and a property filter compares. */
const propertyShown = 120

// The JSON Pointer (RFC 6901) of the property named by `key`: `/` then the key with `~` and `/` escaped. A sender
// chooses the keys, and the `$."…"` path form misread some of them (a trailing backslash escaped its closing quote,
// an empty key made no path), which failed the whole panel over one event; a pointer reads every key as written.
// Not json_each: it makes every pair's value, type and path before a filter keeps one key, which made a property
// filter 5–10 times slower than reading the one key it names.
const pointer = `'/' || replace(replace(key, '~', '~0'), '/', '~1')`

/**
 * SQL of every key and value of the visitor's own `track` events that also match `where` (SQL, `AND …`, or empty):
 * one row per key, with `session_id`, `visitor_key`, `property` and `value` as the goals panel shows them (cut to
 * {@link propertyShown} characters, a value as text) and `kind`, the value's JSON type. The panel lists these rows
 * and a property filter matches them, so a clicked row keeps exactly the visits it counted.
 */
export const propertyPairsSql = (where: string) => `
  SELECT session_id, visitor_key, left(key, ${propertyShown}) AS property,
         left(json_extract_string(properties, ${pointer}), ${propertyShown}) AS value,
         json_type(json_extract(properties, ${pointer})) AS kind
  FROM (SELECT session_id, visitor_key, properties, unnest(json_keys(properties)) AS key
        FROM events WHERE type = 'track' AND NOT derived ${where})`
