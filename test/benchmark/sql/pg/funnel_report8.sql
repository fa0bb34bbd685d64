-- funnel8.sql with the fast-path report aggregate (see funnel_report4.sql).
SELECT level - 1 AS level, actors
FROM unnest((SELECT funnel_report(actor_id, ts, interval '7 days',
                                  event = 'page_view', event = 'product_view', event = 'add_to_cart',
                                  event = 'begin_checkout', event = 'purchase', event = 'product_view',
                                  event = 'add_to_cart', event = 'purchase') FROM {table})) WITH ORDINALITY AS r(actors, level)
ORDER BY level;
