-- Abandoned carts in DuckDB, by the rule `spoor serve --cart-window` and `spoor carts` apply (docs/ndjson.md):
-- a cart with items and no order, whose cart and visitor did nothing for a whole window, is abandoned; the first
-- order for it within 24 hours after that recovers it. Expects the `events` table of the load recipe (typed
-- columns, deduplicated by messageId). The messageId is the one the collector gives its Cart Abandoned event.
SET VARIABLE cart_window = INTERVAL 60 MINUTE;
SET VARIABLE as_of = now();
SET TimeZone = 'UTC';

WITH ev AS (
  -- What browsers sent (not the collector's derived events) up to the decision time, flagged bots left out.
  SELECT * FROM events
  WHERE coalesce(context->>'$.library.name', '') <> 'spoor-collector'
    AND coalesce(context->>'$.bot', 'false') <> 'true'
    AND timestamp <= getvariable('as_of')
),
contents AS (
  -- Events that carry the whole cart.
  SELECT writeKey, coalesce(properties->>'$.cart_id', 'visitor:' || coalesce(anonymousId, userId)) AS cart_key,
         timestamp, messageId, properties, anonymousId, userId, context,
         coalesce((SELECT sum(coalesce(try_cast(p->>'$.quantity' AS DOUBLE), 1))
                     FROM (SELECT unnest(from_json(properties->'$.products', '["JSON"]')) AS p)), 0) <= 0 AS closed
  FROM ev
  WHERE event IN ('Product Added', 'Product Removed', 'Cart Viewed', 'Checkout Started')
    AND json_type(properties->'$.products') = 'ARRAY'
),
visitors AS (
  -- The people behind each cart: their devices and user ids.
  SELECT DISTINCT writeKey, cart_key, anonymousId, userId FROM contents
),
orders AS (
  -- An order closes the cart it names, or every cart of its visitor when it names none.
  SELECT writeKey, properties->>'$.cart_id' AS cart_key, timestamp, messageId, properties, anonymousId, userId
  FROM ev WHERE event = 'Order Completed' AND (properties->>'$.cart_id') IS NOT NULL
  UNION
  SELECT DISTINCT o.writeKey, v.cart_key, o.timestamp, o.messageId, o.properties, o.anonymousId, o.userId
  FROM ev o JOIN visitors v ON o.writeKey = v.writeKey AND (o.anonymousId = v.anonymousId OR o.userId = v.userId)
  WHERE o.event = 'Order Completed' AND (o.properties->>'$.cart_id') IS NULL
),
states AS (
  SELECT writeKey, cart_key, timestamp, messageId, properties, anonymousId, userId, context, closed FROM contents
  UNION ALL
  SELECT writeKey, cart_key, timestamp, messageId, properties, anonymousId, userId, NULL, true FROM orders
),
activity AS (
  -- Anything a cart's visitor does keeps the cart alive.
  SELECT DISTINCT v.writeKey, v.cart_key, e.timestamp, e.messageId, e.userId
  FROM visitors v JOIN ev e ON e.writeKey = v.writeKey AND (e.anonymousId = v.anonymousId OR e.userId = v.userId)
),
episodes AS (
  -- A silence of a whole window ends an episode of activity.
  SELECT *, sum(starts) OVER (PARTITION BY writeKey, cart_key ORDER BY timestamp, messageId ROWS UNBOUNDED PRECEDING) AS episode
  FROM (
    SELECT *, CASE WHEN timestamp - lag(timestamp) OVER (PARTITION BY writeKey, cart_key ORDER BY timestamp, messageId)
                        < getvariable('cart_window') THEN 0 ELSE 1 END AS starts
    FROM activity
  )
),
ended AS (
  -- Each episode's last activity, and the cart as the episode's last cart event left it.
  SELECT e.writeKey, e.cart_key, e.episode, max(e.timestamp) AS last_activity,
         arg_max(e.userId, e.timestamp) FILTER (e.userId IS NOT NULL) AS userId,
         arg_max(s.closed, s.timestamp) AS closed, arg_max(s.properties, s.timestamp) AS cart,
         arg_max(s.anonymousId, s.timestamp) FILTER (NOT s.closed) AS anonymousId,
         arg_max(s.context->'$.campaign', s.timestamp) FILTER ((s.context->>'$.campaign.name') IS NOT NULL) AS campaign
  FROM episodes e LEFT JOIN states s ON s.writeKey = e.writeKey AND s.cart_key = e.cart_key AND s.messageId = e.messageId
  GROUP BY e.writeKey, e.cart_key, e.episode
)
SELECT 'cart-abandoned-' || left(sha256(writeKey || chr(10) || cart_key || chr(10)
         || strftime(last_activity, '%Y-%m-%dT%H:%M:%S.%gZ')), 32) AS messageId,
       writeKey, cart->>'$.cart_id' AS cart_id, anonymousId, userId,
       last_activity, last_activity + getvariable('cart_window') AS abandoned_at,
       cart->'$.products' AS products, cart->>'$.currency' AS currency,
       coalesce(try_cast(cart->>'$.value' AS DOUBLE),
                (SELECT sum(coalesce(try_cast(p->>'$.price' AS DOUBLE), 0) * coalesce(try_cast(p->>'$.quantity' AS DOUBLE), 1))
                   FROM (SELECT unnest(from_json(cart->'$.products', '["JSON"]')) AS p))) AS value,
       campaign->>'$.name' AS campaign,
       (SELECT arg_min(o.properties->>'$.order_id', o.timestamp) FROM orders o
         WHERE o.writeKey = ended.writeKey AND o.cart_key = ended.cart_key
           AND o.timestamp >= last_activity + getvariable('cart_window')
           AND o.timestamp <= last_activity + getvariable('cart_window') + INTERVAL 24 HOUR) AS recovered_by_order
FROM ended
WHERE cart IS NOT NULL AND NOT closed
  AND last_activity + getvariable('cart_window') <= getvariable('as_of')
ORDER BY abandoned_at;
