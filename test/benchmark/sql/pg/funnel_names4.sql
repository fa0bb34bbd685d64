-- funnel_report4.sql with the steps given as event names: funnel_report(actor,
-- ts, window, event, steps text[]) matches each row's event against the names
-- (no boolean per step, no array built per row). Its answer must equal
-- funnel4.sql's.
SELECT level - 1 AS level, actors
FROM unnest((SELECT funnel_report(actor_id, ts, interval '7 days', event,
                                  ARRAY['product_view', 'add_to_cart', 'begin_checkout', 'purchase'])
             FROM {table})) WITH ORDINALITY AS r(actors, level)
ORDER BY level;
