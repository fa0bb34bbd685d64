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

\echo
\echo 'Where do we lose people? Drop-off by stage (7-day funnel), all channels:'
SELECT r.stage,
       (ARRAY['product_view', 'add_to_cart', 'begin_checkout', 'purchase'])[r.stage] AS step,
       r.actors, r.dropped,
       round(100 * r.conversion_from_start::numeric, 1) AS "% of start",
       round(100 * r.conversion_from_previous::numeric, 1) AS "% of previous",
       round(100 * r.dropoff_rate::numeric, 1) AS "drop-off %",
       r.median_time_from_previous::interval(0) AS "median time from previous"
FROM (SELECT dropoff_by_stage(t, 4) AS stages
      FROM (SELECT actor_id, funnel_times(ts, '7 days', event = 'product_view', event = 'add_to_cart',
                                          event = 'begin_checkout', event = 'purchase') AS t
            FROM events GROUP BY actor_id) per_actor) s,
     dropoff_rows(s.stages) r;

\echo
\echo 'Which micro-conversions predict a purchase, and what is each worth? (events before the first purchase)'
WITH first_purchase AS (
    SELECT actor_id, min(ts) FILTER (WHERE event = 'purchase') AS bought_at, sum(revenue) AS revenue
    FROM events GROUP BY actor_id
), per_actor AS (
    SELECT e.actor_id,
           array_agg(DISTINCT e.event) FILTER (WHERE e.event IN ('newsletter_signup', 'video_play', 'whitepaper_download', 'demo_request')
                                                 AND (f.bought_at IS NULL OR e.ts < f.bought_at)) AS micro_events,
           f.bought_at IS NOT NULL AS purchased, f.revenue
    FROM events e JOIN first_purchase f USING (actor_id)
    GROUP BY e.actor_id, f.bought_at, f.revenue
)
SELECT r.rank, r.event, r.a + r.b AS actors,
       round(100 * r.rate_with_micro::numeric, 1) AS "buy % with",
       round(100 * r.rate_without_micro::numeric, 1) AS "buy % without",
       round(r.lift::numeric, 2) AS lift,
       round(r.value, 2) AS value,
       round(r.incremental_value, 2) AS incremental_value,
       to_char(r.p_value, '9.9EEEE') AS p_value,
       CASE WHEN r.q_value < 0.05 THEN 'signal' ELSE 'noise' END AS verdict
FROM micro_correlation_rows((SELECT micro_correlations(micro_events, purchased, revenue, 20) FROM per_actor)) r
ORDER BY r.rank;
