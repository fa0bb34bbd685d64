-- funnel_report8.sql with the steps given as event names (names may repeat: a
-- row matches every step with its name). Its answer must equal funnel8.sql's.
SELECT level - 1 AS level, actors
FROM unnest((SELECT funnel_report(actor_id, ts, interval '7 days', event,
                                  ARRAY['page_view', 'product_view', 'add_to_cart', 'begin_checkout', 'purchase',
                                        'product_view', 'add_to_cart', 'purchase'])
             FROM {table})) WITH ORDINALITY AS r(actors, level)
ORDER BY level;
