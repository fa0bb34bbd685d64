-- funnel8.sql for ClickHouse.
SELECT level, count() AS actors FROM (
  SELECT actor_id,
         windowFunnel(604800000000)(t, event = 'page_view', event = 'product_view', event = 'add_to_cart',
                                    event = 'begin_checkout', event = 'purchase', event = 'product_view',
                                    event = 'add_to_cart', event = 'purchase') AS level
  FROM {table} GROUP BY actor_id)
GROUP BY level ORDER BY level
