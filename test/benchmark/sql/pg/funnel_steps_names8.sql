-- funnel8.sql with the steps given as event names: funnel_steps(ts, window,
-- event, steps text[]) matches each row's event against the names (no boolean
-- per step, no array built per row). Its answer must equal funnel8.sql's.
SELECT level, count(*) AS actors FROM (
  SELECT actor_id,
         funnel_steps(ts, interval '7 days', event,
                      ARRAY['page_view', 'product_view', 'add_to_cart', 'begin_checkout',
                            'purchase', 'product_view', 'add_to_cart', 'purchase']) AS level
  FROM {table} GROUP BY actor_id) per_actor
GROUP BY level ORDER BY level;
