-- The uniform-random data set: {rows} rows, actor uniform in 1..{actors}, time
-- uniform over 28 days (whole milliseconds, like generate_events), event uniform
-- over the nine event names of generate_events, channel a function of the actor.
-- Rows are stored in random order (not grouped by actor), the opposite of the
-- generated table. Deterministic through setseed.
SELECT setseed(0.42);
CREATE TABLE {table} AS
SELECT actor_id,
       timestamptz '2026-01-05 00:00:00+00'
         + make_interval(secs => floor(random() * 28 * 86400 * 1000) / 1000) AS ts,
       (ARRAY['page_view', 'product_view', 'newsletter_signup', 'video_play', 'whitepaper_download',
              'add_to_cart', 'begin_checkout', 'purchase', 'demo_request'])[1 + floor(random() * 9)::int] AS event,
       (ARRAY['organic_search', 'paid_search', 'social', 'email', 'direct', 'referral'])[1 + (actor_id % 6)::int] AS channel
FROM (SELECT 1 + floor(random() * {actors})::bigint AS actor_id FROM generate_series(1, {rows})) g;
