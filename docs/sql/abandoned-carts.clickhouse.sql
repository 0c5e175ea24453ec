-- Abandoned carts in ClickHouse: the same rule and the same messageIds as abandoned-carts.duckdb.sql, over the
-- spoor_events table of docs/ndjson.md (properties and context held as JSON text). A translation of the DuckDB
-- query, which the test suite runs; this one is not run there (no ClickHouse server in CI).
WITH
    toIntervalMinute(60) AS cart_window,
    now64(3, 'UTC') AS as_of,
    ev AS (
        SELECT * FROM spoor_events FINAL
        WHERE JSONExtractString(context, 'library', 'name') != 'spoor-collector'
          AND NOT JSONExtractBool(context, 'bot')
          AND timestamp <= as_of
    ),
    contents AS (
        SELECT writeKey,
               if(JSONExtractString(properties, 'cart_id') != '', JSONExtractString(properties, 'cart_id'),
                  concat('visitor:', coalesce(anonymousId, userId))) AS cart_key,
               timestamp, messageId, properties, anonymousId, userId, context,
               arraySum(p -> if(JSONHas(p, 'quantity'), JSONExtractFloat(p, 'quantity'), 1),
                        JSONExtractArrayRaw(properties, 'products')) <= 0 AS closed
        FROM ev
        WHERE event IN ('Product Added', 'Product Removed', 'Cart Viewed', 'Checkout Started')
          AND JSONType(properties, 'products') = 'Array'
    ),
    visitors AS (SELECT DISTINCT writeKey, cart_key, anonymousId, userId FROM contents),
    orders AS (
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
        SELECT writeKey, cart_key, timestamp, messageId, properties, NULL, '{}', 1 FROM orders
    ),
    activity AS (
        SELECT DISTINCT v.writeKey AS writeKey, v.cart_key AS cart_key, e.timestamp AS timestamp, e.messageId AS messageId, e.userId AS userId
        FROM visitors AS v INNER JOIN ev AS e
          ON e.writeKey = v.writeKey AND (e.anonymousId = v.anonymousId OR e.userId = v.userId)
    ),
    episodes AS (
        SELECT *, sum(starts) OVER (PARTITION BY writeKey, cart_key ORDER BY timestamp, messageId
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS episode
        FROM (
            SELECT *,
                   row_number() OVER w = 1
                   OR timestamp - lagInFrame(timestamp) OVER w >= cart_window AS starts
            FROM activity
            WINDOW w AS (PARTITION BY writeKey, cart_key ORDER BY timestamp, messageId
                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        )
    ),
    ended AS (
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
    )
SELECT
    concat('cart-abandoned-', substring(lower(hex(SHA256(concat(writeKey, '\n', cart_key, '\n',
        formatDateTime(last_activity, '%Y-%m-%dT%H:%i:%S', 'UTC'), '.',
        leftPad(toString(toUnixTimestamp64Milli(last_activity) % 1000), 3, '0'), 'Z')))), 1, 32)) AS messageId,
    writeKey, JSONExtractString(cart, 'products') AS products, JSONExtractString(cart, 'currency') AS currency,
    JSONExtractString(cart, 'cart_id') AS cart_id, anonymousId, userId, campaign,
    last_activity, last_activity + cart_window AS abandoned_at,
    if(JSONHas(cart, 'value'), JSONExtractFloat(cart, 'value'),
       arraySum(p -> JSONExtractFloat(p, 'price') * if(JSONHas(p, 'quantity'), JSONExtractFloat(p, 'quantity'), 1),
                JSONExtractArrayRaw(cart, 'products'))) AS value
FROM ended
WHERE cart != '' AND NOT closed AND last_activity + cart_window <= as_of
ORDER BY abandoned_at;
