-- funnel4.sql with the fast-path report aggregate, when pg_funnel has one: one
-- aggregate over all rows that keeps its own per-actor table and returns the
-- actors per level 0..4. Its answer must equal funnel4.sql's. Adjust the call here
-- if the installed signature differs (bench.mjs prints it).
SELECT level - 1 AS level, actors
FROM unnest((SELECT funnel_report(actor_id, ts, interval '7 days',
                                  event = 'product_view', event = 'add_to_cart', event = 'begin_checkout',
                                  event = 'purchase') FROM {table})) WITH ORDINALITY AS r(actors, level)
ORDER BY level;
