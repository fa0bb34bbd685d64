-- Actors per level of an 8-step funnel with a 7-day window (pg_funnel): a visit,
-- a first purchase, then a repeat purchase.
SELECT level, count(*) AS actors FROM (
  SELECT actor_id,
         funnel_steps(ts, interval '7 days',
                      event = 'page_view', event = 'product_view', event = 'add_to_cart', event = 'begin_checkout',
                      event = 'purchase', event = 'product_view', event = 'add_to_cart', event = 'purchase') AS level
  FROM {table} GROUP BY actor_id) per_actor
GROUP BY level ORDER BY level;
