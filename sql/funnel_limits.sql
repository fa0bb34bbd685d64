-- Limits: cancellation inside a long final function, one actor with a million
-- events, and hash aggregation spilling to disk under a tiny work_mem.
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- 5000 rows at one instant, each matching a random half of 63 of 64 steps:
-- strict_once gives each step of a chain its own row, and within one timestamp
-- that is a bipartite matching per step entry (about 2 seconds here, the input
-- a few milliseconds), so the statement timeout fires inside the core's scan,
-- which polls for cancellation.
SET statement_timeout = '300ms';
SELECT pg_temp.err($$SELECT funnel_steps(0::bigint, 1, 'strict_once',
    (SELECT array_agg(k < 64 AND hashint8(g * 64 + k) % 2 = 0) FROM generate_series(1, 64) k))
    FROM generate_series(1, 5000) g$$);
RESET statement_timeout;

-- 100000 step-1 events inside one huge window and a single step-2 event that only
-- the last start can reach: strict_once step times skip the starts more than a
-- window before the time the scan first reached the level (until they did, each
-- start was tried, and this query was the one the timeout above cancelled).
SELECT funnel_times(t, 10000000, 'strict_once', e = 1, e = 2)
FROM (SELECT g::bigint AS t, 1 AS e FROM generate_series(0, 99999) g UNION ALL SELECT 99999 + 10000000, 2) s;
SELECT 'the session goes on' AS after_cancel;

-- One actor, one million events: step i at time i, steps repeat every 4 events.
SELECT funnel_steps(g::bigint, 3, g % 4 = 0, g % 4 = 1, g % 4 = 2, g % 4 = 3) AS level,
       funnel_times(g::bigint, 3, g % 4 = 0, g % 4 = 1, g % 4 = 2, g % 4 = 3) AS times
FROM generate_series(0, 999999) g;

-- Hash aggregation with 64 kB of work_mem spills to disk; the answers equal the
-- sort-based plan's.
CREATE TABLE lim AS
SELECT g % 20000 AS actor, (abs(hashint4(g)) % 1000)::bigint AS t, abs(hashint4(-g)) % 4 AS e
FROM generate_series(1, 200000) g;
ANALYZE lim;
SET enable_hashagg = off;
CREATE TEMP TABLE sorted_result AS
SELECT actor, funnel_steps(t, 100, e = 0, e = 1, e = 2) AS lvl, funnel_times(t, 100, e = 0, e = 1, e = 2) AS tm FROM lim GROUP BY actor;
RESET enable_hashagg;
SET enable_sort = off;
SET work_mem = '64kB';
SET max_parallel_workers_per_gather = 0;
CREATE FUNCTION pg_temp.spills() RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE l text; spilled boolean := false;
BEGIN
    FOR l IN EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
        SELECT actor, funnel_steps(t, 100, e = 0, e = 1, e = 2), funnel_times(t, 100, e = 0, e = 1, e = 2) FROM lim GROUP BY actor
    LOOP
        IF l ~ 'Batches: [2-9]|Batches: \d\d' THEN spilled := true; END IF;
    END LOOP;
    RETURN spilled;
END $$;
SELECT pg_temp.spills() AS hash_aggregate_spilled;
SELECT count(*) AS differing_rows FROM (
  SELECT actor, funnel_steps(t, 100, e = 0, e = 1, e = 2), funnel_times(t, 100, e = 0, e = 1, e = 2) FROM lim GROUP BY actor
  EXCEPT SELECT * FROM sorted_result) d;
SELECT lvl, count(*) FROM sorted_result GROUP BY lvl ORDER BY lvl;
