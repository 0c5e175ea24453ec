/** The longest property key and value the goals panel shows, and a property filter compares. */
const propertyShown = 120

// The JSON path of the property named by `key`, quoted: a key starting with `$` or `/`, or holding a dot, is a key
// like any other and not a path of its own.
const path = `'$."' || replace(key, '"', '\\"') || '"'`

/**
 * SQL of every key and value of the visitor's own `track` events that also match `where` (SQL, `AND …`, or empty):
 * one row per key, with `session_id`, `visitor_key`, `property` and `value` as the goals panel shows them (cut to
 * {@link propertyShown} characters, a value as text) and `kind`, the value's JSON type. The panel lists these rows
 * and a property filter matches them, so a clicked row keeps exactly the visits it counted.
 */
export const propertyPairsSql = (where: string) => `
  SELECT session_id, visitor_key, left(key, ${propertyShown}) AS property,
         left(json_extract_string(properties, ${path}), ${propertyShown}) AS value,
         json_type(json_extract(properties, ${path})) AS kind
  FROM (SELECT session_id, visitor_key, properties, unnest(json_keys(properties)) AS key
        FROM events WHERE type = 'track' AND NOT derived ${where})`
