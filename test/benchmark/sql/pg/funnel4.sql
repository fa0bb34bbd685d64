-- Actors per level of a 4-step funnel with a 7-day window (pg_funnel).
SELECT level, count(*) AS actors FROM (
  SELECT actor_id,
         funnel_steps(ts, interval '7 days',
                      event = 'product_view', event = 'add_to_cart', event = 'begin_checkout', event = 'purchase') AS level
  FROM {table} GROUP BY actor_id) per_actor
GROUP BY level ORDER BY level;
