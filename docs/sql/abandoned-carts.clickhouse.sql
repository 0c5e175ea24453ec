-- Abandoned carts in ClickHouse, by the rule `spoor serve --cart-window` and `spoor carts` apply (docs/ndjson.md),
-- with the same messageIds: a cart with items and no order, whose cart and visitor did nothing for a whole window,
-- is abandoned; the first order for it within 24 hours after that recovers it. Expects the spoor_events table of
-- docs/ndjson.md (properties and context held as JSON text). Set the window and the decision time in the first
-- two lines. The test suite runs this query on ClickHouse against `spoor carts`.
WITH
    toIntervalMinute(60) AS cart_window,
    now64(3, 'UTC') AS as_of,
    ev AS (
        -- What browsers sent (not the collector's derived events) up to the decision time, flagged bots left out,
        -- each messageId once: FINAL keeps its first arrival (the table's version column), as the other recipes do.
        SELECT * FROM spoor_events FINAL
        WHERE JSONExtractString(context, 'library', 'name') != 'spoor-collector'
          AND NOT JSONExtractBool(context, 'bot')
          AND timestamp <= as_of
    ),
    contents AS (
        -- Events that carry the whole cart; a cart with no line of positive quantity is closed.
        SELECT writeKey,
               if(JSONExtractString(properties, 'cart_id') != '', JSONExtractString(properties, 'cart_id'),
                  concat('visitor:', coalesce(anonymousId, userId))) AS cart_key,
               timestamp, messageId, properties, anonymousId, userId, context,
               NOT arrayExists(p -> if(JSONType(p, 'quantity') IN ('Int64', 'UInt64', 'Double'), JSONExtractFloat(p, 'quantity'), 1) > 0,
                               arrayFilter(p -> JSONType(p) = 'Object', JSONExtractArrayRaw(properties, 'products'))) AS closed
        FROM ev
        WHERE event IN ('Product Added', 'Product Removed', 'Cart Viewed', 'Checkout Started')
          AND JSONType(properties, 'products') = 'Array'
    ),
    visitors AS (
        -- The people behind each cart: their devices and user ids.
        SELECT DISTINCT writeKey, cart_key, anonymousId, userId FROM contents
    ),
    orders AS (
        -- An order closes the cart it names, or every cart of its visitor when it names none.
        SELECT writeKey, JSONExtractString(properties, 'cart_id') AS cart_key, timestamp, messageId, properties
        FROM ev WHERE event = 'Order Completed' AND JSONExtractString(properties, 'cart_id') != ''
        UNION DISTINCT
        SELECT o.writeKey, v.cart_key, o.timestamp, o.messageId, o.properties
        FROM ev AS o INNER JOIN visitors AS v
          ON o.writeKey = v.writeKey AND (o.anonymousId = v.anonymousId OR o.userId = v.userId)
        WHERE o.event = 'Order Completed' AND JSONExtractString(o.properties, 'cart_id') = ''
    ),
    states AS (
        SELECT writeKey, cart_key, timestamp, messageId, properties, anonymousId, context, closed FROM contents
        UNION ALL
        SELECT writeKey, cart_key, timestamp, messageId, properties, NULL, '{}', true FROM orders
    ),
    activity AS (
        -- Anything a cart's visitor does keeps the cart alive.
        SELECT DISTINCT v.writeKey AS writeKey, v.cart_key AS cart_key, e.timestamp AS timestamp,
                        e.messageId AS messageId, e.userId AS userId
        FROM visitors AS v INNER JOIN ev AS e
          ON e.writeKey = v.writeKey AND (e.anonymousId = v.anonymousId OR e.userId = v.userId)
    ),
    episodes AS (
        -- A silence of a whole window ends an episode of activity.
        SELECT *, sum(starts) OVER (PARTITION BY writeKey, cart_key ORDER BY timestamp, messageId
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS episode
        FROM (
            SELECT *,
                   row_number() OVER w = 1 OR lagInFrame(timestamp) OVER w + cart_window <= timestamp AS starts
            FROM activity
            WINDOW w AS (PARTITION BY writeKey, cart_key ORDER BY timestamp, messageId
                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        )
    ),
    ended AS (
        -- Each episode's last activity, and the cart as the episode's last cart event left it. An unmatched LEFT
        -- JOIN row holds default values here (an empty messageId), not NULLs.
        SELECT e.writeKey AS writeKey, e.cart_key AS cart_key, e.episode AS episode,
               max(e.timestamp) AS last_activity,
               argMaxIf(e.userId, e.timestamp, e.userId IS NOT NULL) AS userId,
               argMaxIf(s.closed, s.timestamp, s.messageId != '') AS closed,
               argMaxIf(s.properties, s.timestamp, s.messageId != '') AS cart,
               argMaxIf(s.anonymousId, s.timestamp, s.messageId != '' AND NOT s.closed) AS anonymousId,
               argMaxIf(JSONExtractString(s.context, 'campaign', 'name'), s.timestamp,
                        JSONExtractString(s.context, 'campaign', 'name') != '') AS campaign
        FROM episodes AS e LEFT JOIN states AS s
          ON s.writeKey = e.writeKey AND s.cart_key = e.cart_key AND s.messageId = e.messageId
        GROUP BY e.writeKey, e.cart_key, e.episode
    ),
    abandoned AS (
        SELECT * FROM ended
        WHERE cart != '' AND NOT closed AND last_activity + cart_window <= as_of
    ),
    recoveries AS (
        -- The first order for an abandoned cart within 24 hours of its abandonment.
        SELECT a.writeKey AS writeKey, a.cart_key AS cart_key, a.episode AS episode,
               argMin(JSONExtractString(o.properties, 'order_id'), o.timestamp) AS order_id
        FROM abandoned AS a INNER JOIN orders AS o ON o.writeKey = a.writeKey AND o.cart_key = a.cart_key
        WHERE o.timestamp >= a.last_activity + cart_window
          AND o.timestamp <= a.last_activity + cart_window + toIntervalHour(24)
        GROUP BY a.writeKey, a.cart_key, a.episode
    )
SELECT
    concat('cart-abandoned-', substring(lower(hex(SHA256(concat(a.writeKey, '\n', a.cart_key, '\n',
        formatDateTime(a.last_activity, '%Y-%m-%dT%H:%i:%S', 'UTC'), '.',
        leftPad(toString(toUnixTimestamp64Milli(a.last_activity) % 1000), 3, '0'), 'Z')))), 1, 32)) AS messageId,
    a.writeKey AS writeKey, nullIf(JSONExtractString(a.cart, 'cart_id'), '') AS cart_id, a.anonymousId AS anonymousId,
    a.userId AS userId, a.last_activity AS last_activity, a.last_activity + cart_window AS abandoned_at,
    JSONExtractRaw(a.cart, 'products') AS products, JSONExtractString(a.cart, 'currency') AS currency,
    if(JSONType(a.cart, 'value') IN ('Int64', 'UInt64', 'Double'), JSONExtractFloat(a.cart, 'value'),
       arraySum(p -> JSONExtractFloat(p, 'price')
                     * if(JSONType(p, 'quantity') IN ('Int64', 'UInt64', 'Double'), JSONExtractFloat(p, 'quantity'), 1),
                JSONExtractArrayRaw(a.cart, 'products'))) AS value,
    nullIf(a.campaign, '') AS campaign,
    nullIf(r.order_id, '') AS recovered_by_order
FROM abandoned AS a
LEFT JOIN recoveries AS r ON r.writeKey = a.writeKey AND r.cart_key = a.cart_key AND r.episode = a.episode
ORDER BY abandoned_at;
