-- generate_events: deterministic simulated shop events.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET extra_float_digits = 0;

-- A helper showing the SQLSTATE and message of a failing statement.
CREATE FUNCTION pg_temp.try(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- What the rows look like: the first two actors of seed 42.
SELECT * FROM generate_events(2);
-- An actor that goes through the whole funnel.
SELECT * FROM generate_events(40) WHERE actor_id = (
    SELECT min(actor_id) FROM generate_events(40) WHERE event = 'purchase');

-- The defaults are seed 42, 2026-01-05 00:00 UTC, 28 days.
SELECT count(*) AS differences FROM (
    (SELECT * FROM generate_events(300) EXCEPT ALL
     SELECT * FROM generate_events(300, 42, '2026-01-05 00:00:00+00', 28))
    UNION ALL
    (SELECT * FROM generate_events(300, 42, '2026-01-05 00:00:00+00', 28) EXCEPT ALL
     SELECT * FROM generate_events(300))) d;

-- Determinism: two runs give the same rows.
SELECT count(*) AS differences FROM (
    (SELECT * FROM generate_events(2000, 7) EXCEPT ALL SELECT * FROM generate_events(2000, 7))
    UNION ALL
    (SELECT * FROM generate_events(2000, 7) EXCEPT ALL SELECT * FROM generate_events(2000, 7))) d;
-- Actor k does not depend on the others: fewer actors give a prefix.
SELECT count(*) AS differences FROM (
    (SELECT * FROM generate_events(500, 7) EXCEPT ALL
     SELECT * FROM generate_events(2000, 7) WHERE actor_id <= 500)
    UNION ALL
    (SELECT * FROM generate_events(2000, 7) WHERE actor_id <= 500 EXCEPT ALL
     SELECT * FROM generate_events(500, 7))) d;
-- start_at only shifts the times.
SELECT count(*) AS differences FROM (
    (SELECT actor_id, ts + interval '1 day 3 hours', event, channel, device, campaign, session_no,
            product_id, revenue FROM generate_events(300, 5, '2026-01-05 00:00:00+00')
     EXCEPT ALL
     SELECT * FROM generate_events(300, 5, '2026-01-06 03:00:00+00'))) d;
-- Another seed gives other rows.
SELECT count(*) > 1000 AS seed_matters FROM (
    SELECT * FROM generate_events(300, 1) EXCEPT ALL SELECT * FROM generate_events(300, 2)) d;

-- Counts for a fixed seed.
SELECT event, count(*), count(product_id) AS with_product, count(revenue) AS with_revenue,
       sum(revenue) AS revenue
FROM generate_events(1000, 42) GROUP BY event ORDER BY count(*) DESC, event;
SELECT channel, campaign, count(DISTINCT actor_id) AS actors, count(*) AS events,
       count(DISTINCT actor_id) FILTER (WHERE event = 'purchase') AS buyers
FROM generate_events(1000, 42) GROUP BY channel, campaign ORDER BY channel, campaign;
SELECT device, count(DISTINCT actor_id) AS actors,
       count(DISTINCT actor_id) FILTER (WHERE event = 'purchase') AS buyers
FROM generate_events(1000, 42) GROUP BY device ORDER BY device;
SELECT max(session_no) AS max_sessions, count(DISTINCT (actor_id, session_no)) AS sessions,
       round(count(*) / 1000.0, 2) AS events_per_actor
FROM generate_events(1000, 42);

-- Invariants, on 5000 actors.
WITH e AS (
    SELECT g.*, n,
           lag(actor_id) OVER w AS prev_actor, lag(ts) OVER w AS prev_ts,
           lag(session_no) OVER w AS prev_session, lag(event) OVER w AS prev_event
    FROM generate_events(5000, 3, '2026-03-01 12:00:00+00', 14) WITH ORDINALITY AS g(actor_id, ts, event,
         channel, device, campaign, session_no, product_id, revenue, n)
    WINDOW w AS (ORDER BY n))
SELECT count(DISTINCT actor_id) AS actors,
       min(actor_id) AS first_actor, max(actor_id) AS last_actor,
       bool_and(prev_actor IS NULL OR prev_actor < actor_id
                OR (prev_actor = actor_id AND prev_ts <= ts)) AS emitted_in_actor_and_time_order,
       bool_and(ts >= '2026-03-01 12:00:00+00' AND ts < '2026-03-15 12:00:00+00') AS within_period,
       bool_and((revenue IS NOT NULL) = (event = 'purchase')) AS revenue_iff_purchase,
       bool_and(revenue > 0 OR revenue IS NULL) AS revenue_positive,
       bool_and((product_id IS NOT NULL) =
                (event IN ('product_view', 'add_to_cart', 'begin_checkout', 'purchase'))) AS product_iff_product_step,
       bool_and((campaign IS NULL) = (channel IN ('organic_search', 'direct', 'referral'))) AS campaign_iff_paid_channel,
       bool_and(prev_actor IS DISTINCT FROM actor_id OR session_no IN (prev_session, prev_session + 1))
           AS sessions_numbered,
       count(*) FILTER (WHERE prev_actor = actor_id AND prev_ts = ts) > 0 AS has_ties,
       count(*) FILTER (WHERE prev_actor = actor_id AND prev_event = 'purchase'
                        AND event = 'add_to_cart') > 0 AS has_cart_after_purchase,
       count(*) FILTER (WHERE prev_actor = actor_id AND session_no > prev_session
                        AND ts - prev_ts > interval '1 day') > 0 AS has_returns_days_later
FROM e;
-- One channel, device and campaign per actor.
SELECT count(*) AS actors_with_several_profiles FROM (
    SELECT actor_id FROM generate_events(2000, 3) GROUP BY actor_id
    HAVING count(DISTINCT (channel, device, coalesce(campaign, ''))) > 1) s;
-- A one-day period.
SELECT min(ts) >= '2026-01-05' AS starts_in, max(ts) < '2026-01-06' AS ends_in, count(*) > 0 AS has_rows
FROM generate_events(2000, 1, '2026-01-05 00:00:00+00', 1);

-- Edge arguments: no actors, NULL arguments (the function is strict: no rows).
SELECT count(*) FROM generate_events(0);
SELECT count(*) FROM generate_events(NULL);
SELECT count(*) FROM generate_events(10, NULL);
SELECT count(*) FROM generate_events(10, 42, NULL);
SELECT count(*) FROM generate_events(10, 42, '2026-01-05', NULL);
SELECT count(*) > 0 AS ok FROM generate_events(3, 42, '2026-01-05', 3660);
SELECT count(*) > 0 AS ok FROM generate_events(3, -9223372036854775808, '2026-01-05', 1);

-- Bad arguments: SQLSTATE 22023.
SELECT pg_temp.try('SELECT count(*) FROM generate_events(-1)');
SELECT pg_temp.try('SELECT count(*) FROM generate_events(10, 42, ''2026-01-05'', 0)');
SELECT pg_temp.try('SELECT count(*) FROM generate_events(10, 42, ''2026-01-05'', -7)');
SELECT pg_temp.try('SELECT count(*) FROM generate_events(10, 42, ''2026-01-05'', 3661)');
SELECT pg_temp.try('SELECT count(*) FROM generate_events(10, 42, ''infinity'')');
SELECT pg_temp.try('SELECT count(*) FROM generate_events(10, 42, ''-infinity'')');
SELECT pg_temp.try('SELECT count(*) FROM generate_events(10, 42, ''294276-12-20 00:00:00+00'', 28)');
SELECT count(*) FROM generate_events(-1);

-- In the select list, and through a scrollable cursor.
SELECT count(*), count(DISTINCT (e).actor_id) FROM (SELECT generate_events(50, 8) AS e) s;
BEGIN;
DECLARE c SCROLL CURSOR FOR SELECT actor_id, ts, event FROM generate_events(1, 8);
FETCH LAST FROM c;
FETCH PRIOR FROM c;
FETCH FIRST FROM c;
COMMIT;

-- Parallel plans: each worker runs the function to build its own hash table
-- for a semi-join, and must get exactly the rows of a serial run: every row
-- stored from a serial run is found again.
CREATE TABLE gen_rows AS
    SELECT actor_id, ts, event FROM generate_events(3000, 11)
    UNION ALL
    SELECT g, '2026-01-01', 'filler' FROM generate_series(1, 300000) g;
ANALYZE gen_rows;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SET enable_parallel_hash = off;
EXPLAIN (COSTS OFF)
    SELECT count(*) FROM gen_rows r WHERE (r.actor_id, r.ts, r.event) IN (
        SELECT actor_id, ts, event FROM generate_events(3000, 11));
SELECT count(*) AS found_in_workers, (SELECT count(*) FROM gen_rows WHERE event <> 'filler') AS stored
FROM gen_rows r WHERE (r.actor_id, r.ts, r.event) IN (
    SELECT actor_id, ts, event FROM generate_events(3000, 11));
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
RESET enable_parallel_hash;
-- The whole query in one worker.
SET force_parallel_mode = on;
EXPLAIN (COSTS OFF) SELECT count(*) FROM generate_events(1000, 4);
SELECT count(*) AS differences FROM (
    SELECT * FROM generate_events(1000, 4) EXCEPT ALL SELECT * FROM generate_events(1000, 4)) d;
SELECT count(*), sum(revenue) FROM generate_events(1000, 4);
RESET force_parallel_mode;
SELECT count(*), sum(revenue) FROM generate_events(1000, 4);
DROP TABLE gen_rows;

-- A long run can be cancelled.
SET statement_timeout = '300ms';
SELECT count(*) FROM generate_events(1000000000);
RESET statement_timeout;
