-- funnel4.sql for ClickHouse: windowFunnel, time in microseconds, 7-day window.
SELECT level, count() AS actors FROM (
  SELECT actor_id,
         windowFunnel(604800000000)(t, event = 'product_view', event = 'add_to_cart', event = 'begin_checkout',
                                    event = 'purchase') AS level
  FROM {table} GROUP BY actor_id)
GROUP BY level ORDER BY level
