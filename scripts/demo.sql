-- The demo report. Run by scripts/demo.sh against a throwaway cluster.
\pset footer off
SET timezone = 'UTC';
CREATE EXTENSION pg_funnel;
CREATE TABLE events AS SELECT * FROM generate_events(:actors, 42);
CREATE INDEX ON events (actor_id, ts);
ANALYZE events;
SELECT count(*) AS events, count(DISTINCT actor_id) AS actors, min(ts)::date AS first_day, max(ts)::date AS last_day FROM events;

\echo
\echo 'Question: of the actors who viewed a product, how many added to cart, began checkout'
\echo 'and purchased within 7 days of the product view, by acquisition channel?'
WITH per_actor AS (
    SELECT actor_id, channel,
           funnel_steps(ts, '7 days', event = 'product_view', event = 'add_to_cart',
                        event = 'begin_checkout', event = 'purchase') AS level,
           funnel_times(ts, '7 days', event = 'product_view', event = 'add_to_cart',
                        event = 'begin_checkout', event = 'purchase') AS times
    FROM events GROUP BY actor_id, channel)
SELECT coalesce(channel, '(all channels)') AS channel,
       count(*) FILTER (WHERE level >= 1) AS product_view,
       count(*) FILTER (WHERE level >= 2) AS add_to_cart,
       count(*) FILTER (WHERE level >= 3) AS begin_checkout,
       count(*) FILTER (WHERE level >= 4) AS purchase,
       round(100.0 * count(*) FILTER (WHERE level >= 4) / nullif(count(*) FILTER (WHERE level >= 1), 0), 1) AS "view->buy %",
       justify_hours(percentile_cont(0.5) WITHIN GROUP (ORDER BY times[4] - times[1])
                     FILTER (WHERE level >= 4))::interval(0) AS "median view->buy"
FROM per_actor GROUP BY ROLLUP (channel)
ORDER BY grouping(channel), channel;

\echo
\echo 'Question: how many newsletter signups purchased within 30 days, by device?'
SELECT device,
       count(*) AS signed_up,
       count(*) FILTER (WHERE d <= '30 days') AS purchased_within_30_days,
       round(100.0 * count(*) FILTER (WHERE d <= '30 days') / count(*), 1) AS "follow-through %"
FROM (SELECT actor_id, device, time_between(ts, event = 'newsletter_signup', event = 'purchase') AS d
      FROM events GROUP BY actor_id, device HAVING bool_or(event = 'newsletter_signup')) s
GROUP BY device ORDER BY device;
