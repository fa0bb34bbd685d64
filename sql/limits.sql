-- Limits beyond funnel_limits: the edges of every time type's range and
-- +-infinity, the largest window, 64 steps in every family, one actor with a
-- million rows, statement_timeout during sequence_match and sessionize, and
-- hash aggregation spilling to disk for every per-actor aggregate. Expected
-- values are worked out by hand in the comments, or come from plain SQL over
-- the same rows. Behaviour at infinity: docs/errors.md, "Limits".
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET extra_float_digits = 0;
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- 1. Edges of the range ------------------------------------------------------
-- The first day of the timestamp range: both steps within 1 day.
SELECT funnel_steps(t, '1 day', e = 'a', e = 'b') AS level, funnel_times(t, '1 day', e = 'a', e = 'b') AS times
FROM (VALUES ('4714-11-24 00:00:00+00 BC'::timestamptz, 'a'), ('4714-11-24 23:59:59.999999+00 BC', 'b')) v(t, e);
-- The last microsecond of the range, as timestamp: 1 s apart, window 1 s.
SELECT funnel_steps(t, '1 second', e = 'a', e = 'b') AS level, funnel_times(t, '1 second', e = 'a', e = 'b') AS times
FROM (VALUES ('294276-12-31 23:59:58.999999'::timestamp, 'a'), ('294276-12-31 23:59:59.999999', 'b')) v(t, e);
-- The widest window: 106751991 days is the largest whole number of days below
-- 2^63 microseconds; one more day is out of range.
SELECT pg_temp.err($$SELECT funnel_steps(now(), '106751991 days', true)$$) AS largest_window,
       pg_temp.err($$SELECT funnel_steps(now(), '106751992 days', true)$$) AS too_large,
       pg_temp.err($$SELECT funnel_steps(now(), '-106751992 days', true)$$) AS too_small;
-- From the first microsecond of the range to the last is 109203528 days less
-- 1 us, more than the widest window: level 1. From 2000-01-01 it is 106751983
-- days less 1 us, inside it: level 2 (date arithmetic, exact).
SELECT date '294277-01-01' - date '4714-11-24 BC' AS whole_range_days, date '294277-01-01' - date '2000-01-01' AS from_2000_days;
SELECT funnel_steps(t, '106751991 days', e = 'a', e = 'b') AS whole_range,
       funnel_steps(t, '106751991 days', e = 'c', e = 'b') AS from_2000
FROM (VALUES ('4714-11-24 00:00:00+00 BC'::timestamptz, 'a'), ('2000-01-01 00:00:00+00', 'c'),
             ('294276-12-31 23:59:59.999999+00', 'b')) v(t, e);
-- bigint time at the int64 edges: the difference of the two extremes (2^64 - 1)
-- exceeds any window; neighbours at either end are 1 apart.
SELECT funnel_steps(t, 9223372036854775807, e = 'a', e = 'b') AS extremes,
       funnel_steps(t, 1, e = 'c', e = 'd') AS top_pair,
       funnel_times(t, 1, e = 'f', e = 'g') AS bottom_pair
FROM (VALUES (-9223372036854775808, 'a'), (9223372036854775807, 'b'),
             (9223372036854775806, 'c'), (9223372036854775807, 'd'),
             (-9223372036854775808, 'f'), (-9223372036854775807, 'g')) v(t, e);
-- time_between over the whole timestamp range does not fit an interval: an
-- error, where plain subtraction silently wraps around to a negative interval.
SELECT pg_temp.err($$SELECT time_between(t, e = 'a', e = 'b')
    FROM (VALUES ('4714-11-24 00:00:00 BC'::timestamp, 'a'), ('294276-12-31 23:59:59.999999', 'b')) v(t, e)$$) AS time_between_whole_range,
       timestamp '294276-12-31 23:59:59.999999' - timestamp '4714-11-24 00:00:00 BC' < interval '0' AS plain_subtraction_wraps;
-- Dates: the whole date range (2^32 days) does not fit in microseconds; the
-- widest difference that does is 106751991 days, one more day is an error.
SELECT pg_temp.err($$SELECT time_between(d, e = 'a', e = 'b')
    FROM (VALUES ('4714-11-24 BC'::date, 'a'), ('5874897-12-31', 'b')) v(d, e)$$) AS date_whole_range;
SELECT time_between(d, e = 'a', e = 'b') AS widest_date_interval,
       pg_temp.err(format($$SELECT time_between(d, e = 'a', e = 'b')
           FROM (VALUES (date '4714-11-24 BC', 'a'), (date %L, 'b')) v(d, e)$$, date '4714-11-24 BC' + 106751992)) AS one_day_more
FROM (VALUES ('4714-11-24 BC'::date, 'a'), (date '4714-11-24 BC' + 106751991, 'b')) v(d, e);
-- bigint: the difference of the extremes overflows int64: an error.
SELECT pg_temp.err($$SELECT time_between(t, e = 'a', e = 'b')
    FROM (VALUES (-9223372036854775808, 'a'), (9223372036854775807, 'b')) v(t, e)$$) AS bigint_whole_range;
-- sequence_match_times with a time condition at the top of the range.
SELECT sequence_match_times('(?1)(?t<=1)(?2)', t, e = 'a', e = 'b') AS times
FROM (VALUES ('294276-12-31 23:59:59+00'::timestamptz, 'a'), ('294276-12-31 23:59:59.999999+00', 'b')) v(t, e);

-- 2. Infinity ----------------------------------------------------------------
-- +-infinity are times before / after every finite time, not skipped: an
-- infinite time is never within a window of a finite one, two equal infinities
-- are 0 apart (as infinity = infinity in PostgreSQL), and a duration involving
-- one is an error (22008).
SELECT funnel_steps(t, '1 day', e = 'a', e = 'b') AS inf_then_inf,
       funnel_times(t, '1 day', e = 'a', e = 'b') AS times
FROM (VALUES ('infinity'::timestamptz, 'a'), ('infinity', 'b')) v(t, e);
SELECT funnel_steps(t, '106751991 days', e = 'a', e = 'b') AS minus_inf_to_finite,
       funnel_times(t, '106751991 days', e = 'a', e = 'b') AS times
FROM (VALUES ('-infinity'::timestamp, 'a'), ('2026-01-01', 'b')) v(t, e);
SELECT funnel_steps(d, '3 days', e = 'a', e = 'b') AS date_level, funnel_times(d, '3 days', e = 'a', e = 'b') AS date_times
FROM (VALUES ('-infinity'::date, 'a'), ('2026-01-01', 'a'), ('2026-01-03', 'b'), ('infinity', 'b')) v(d, e);
SELECT pg_temp.err($$SELECT time_between(d, e = 'a', e = 'b')
    FROM (VALUES ('-infinity'::date, 'a'), ('2026-01-01', 'b')) v(d, e)$$) AS date_infinity;
-- A retention flag ignores time entirely.
SELECT retention(e = 'a', e = 'b') FROM (VALUES ('-infinity'::timestamptz, 'a'), ('infinity', 'b')) v(t, e);
-- Sessions: equal infinities share a session; every edge value starts one.
SELECT t, sessionize(t, '1 hour') OVER (ORDER BY t) AS session
FROM (VALUES ('-infinity'::timestamptz), ('-infinity'), ('4714-11-24 00:00:00+00 BC'), ('4714-11-24 01:00:00+00 BC'),
             ('294276-12-31 23:59:59.999999+00'), ('infinity'), ('infinity')) v(t);
SELECT d, sessionize(d, '1 day') OVER (ORDER BY d) AS session
FROM (VALUES ('-infinity'::date), ('4714-11-24 BC'), ('4714-11-25 BC'), ('5874897-12-31'), ('infinity')) v(d);
SELECT t, sessionize(t, 9223372036854775807) OVER (ORDER BY t) AS session
FROM (VALUES (-9223372036854775808), (-1), (9223372036854775807)) v(t);

-- 3. 64 steps in every family ------------------------------------------------
-- Row i (1..64) at second i satisfies condition i only; row 65 satisfies
-- none (it is what sequence_next_node finds after the 64 steps).
CREATE TEMP TABLE s64 AS SELECT i, i::bigint AS t FROM generate_series(1, 65) i;
SELECT funnel_steps(t, 63, VARIADIC c) AS level, cardinality(funnel_times(t, 63, VARIADIC c)) AS n_times,
       (funnel_times(t, 63, VARIADIC c))[64] - (funnel_times(t, 63, VARIADIC c))[1] AS span,
       funnel_steps(t, 62, VARIADIC c) AS level_window_62,
       funnel_steps(t, 63, 'any_order', VARIADIC c) AS any_order
FROM s64, LATERAL (SELECT array_agg(s64.i = k ORDER BY k) AS c FROM generate_series(1, 64) k) x;
SELECT retention(VARIADIC c) = array_fill(true, ARRAY[64]) AS all_retained
FROM s64, LATERAL (SELECT array_agg(s64.i = k ORDER BY k) AS c FROM generate_series(1, 64) k) x;
SELECT sequence_match(p, t, VARIADIC c) AS matched, sequence_count(p, t, VARIADIC c) AS n,
       sequence_match_times(p, t, VARIADIC c) = (SELECT array_agg(k::bigint ORDER BY k) FROM generate_series(1, 64) k) AS times_1_to_64,
       sequence_next_node('forward', 'head', t, i::text, true, VARIADIC c) AS after_64_steps
FROM s64, LATERAL (SELECT array_agg(s64.i = k ORDER BY k) AS c FROM generate_series(1, 64) k) x,
     (SELECT string_agg('(?' || k || ')', '' ORDER BY k) AS p FROM generate_series(1, 64) k) pat;

-- 4. One actor with a million rows -------------------------------------------
-- Row g at time g, alternating a (even) and b (odd): 500000 non-overlapping
-- "a then b" pairs; every a..b pair is 1 apart; retention of b after a.
SELECT sequence_count('(?1)(?2)', g::bigint, g % 2 = 0, g % 2 = 1) AS pairs,
       sequence_match('(?1)(?t>1)(?2)', g::bigint, g % 2 = 0, g % 2 = 1) AS gap_over_1,
       time_between(g::bigint, g = 500000, g % 2 = 1) AS first_b_after_500000,
       retention(g = 0, g = 999999, g = 1000000) AS r
FROM generate_series(0, 999999) g;
-- Sessions: a gap of 10 after every 1000th row (gap limit 5): 1000 sessions of
-- 1000 rows each.
SELECT count(DISTINCT s) AS sessions, min(n) AS min_rows, max(n) AS max_rows
FROM (SELECT s, count(*) AS n
        FROM (SELECT sessionize(t, 5) OVER (ORDER BY t) AS s
                FROM (SELECT g + (g / 1000) * 10 AS t FROM generate_series(0::bigint, 999999) g) x) y
       GROUP BY s) z;

-- 5. statement_timeout inside long aggregates and window functions -----------
-- Each runs for seconds unhindered; the timeout stops it, and the session goes on.
SET statement_timeout = '200ms';
SELECT pg_temp.err($$SELECT sequence_match('(?1).*(?2).*(?3)', g, g % 3 = 0, g % 5 = 0, g = -1)
                     FROM generate_series(0::bigint, 20000000) g$$) AS sequence_match;
SELECT pg_temp.err($$SELECT max(s) FROM (SELECT sessionize(g, 1) OVER (ORDER BY g) AS s
                                        FROM generate_series(0::bigint, 20000000) g) x$$) AS sessionize;
SELECT pg_temp.err($$SELECT time_between(g, g % 7 = 0, g = -1) FROM generate_series(0::bigint, 20000000) g$$) AS time_between;
RESET statement_timeout;
SELECT 'the session goes on' AS after_cancel;

-- 6. Hash aggregation spilling to disk, every per-actor aggregate -------------
-- 20000 actors, 10 rows each, times in 0..999 with ties, events 0..3. The
-- sort-based plan is the reference; retention and time_between are also
-- checked against plain SQL.
CREATE TEMP TABLE sp AS
SELECT g % 20000 AS actor, (abs(hashint4(g)) % 1000)::bigint AS t, abs(hashint4(-g)) % 4 AS e
FROM generate_series(1, 200000) g;
ANALYZE sp;
CREATE TEMP VIEW per_actor AS
SELECT actor,
       time_between(t, e = 0, e = 1) AS tb,
       retention(e = 0, e = 1, e = 2) AS r,
       sequence_match('(?1)(?t<=100)(?2)', t, e = 0, e = 1) AS m,
       sequence_count('(?1)(?2)', t, e = 2, e = 3) AS c,
       sequence_match_times('(?1).*(?2)', t, e = 1, e = 2) AS mt,
       sequence_next_node('forward', 'first_match', t, e::text, true, e = 0) AS nn
  FROM sp GROUP BY actor;
SET max_parallel_workers_per_gather = 0;
SET enable_hashagg = off;
CREATE TEMP TABLE sorted_result AS SELECT * FROM per_actor;
RESET enable_hashagg;
SET enable_sort = off;
SET work_mem = '64kB';
CREATE FUNCTION pg_temp.spills(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE l text; hashed boolean := false; spilled boolean := false;
BEGIN
    FOR l IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
        IF l ~ 'HashAggregate' THEN hashed := true; END IF;
        IF l ~ 'Batches: ([2-9]|\d\d)' THEN spilled := true; END IF;
    END LOOP;
    RETURN CASE WHEN hashed AND spilled THEN 'spilled' WHEN hashed THEN 'in memory' ELSE 'not hashed' END;
END $$;
SELECT f, pg_temp.spills(format('SELECT actor, %s FROM sp GROUP BY actor', f)) AS hash_aggregate
FROM unnest(ARRAY['time_between(t, e = 0, e = 1)', 'retention(e = 0, e = 1, e = 2)',
                  $$sequence_match('(?1)(?t<=100)(?2)', t, e = 0, e = 1)$$,
                  $$sequence_count('(?1)(?2)', t, e = 2, e = 3)$$,
                  $$sequence_match_times('(?1).*(?2)', t, e = 1, e = 2)$$,
                  $$sequence_next_node('forward', 'first_match', t, e::text, true, e = 0)$$]) f;
SELECT pg_temp.spills('SELECT * FROM per_actor') AS all_together;
CREATE TEMP TABLE hashed_result AS SELECT * FROM per_actor;
RESET enable_sort;
RESET work_mem;
SELECT (SELECT count(*) FROM hashed_result) AS actors,
       (SELECT count(*) FROM (SELECT * FROM hashed_result EXCEPT SELECT * FROM sorted_result) d) AS only_hashed,
       (SELECT count(*) FROM (SELECT * FROM sorted_result EXCEPT SELECT * FROM hashed_result) d) AS only_sorted;
-- Plain SQL for retention and time_between.
SELECT count(*) AS retention_differs
FROM sorted_result s
JOIN (SELECT actor, ARRAY[bool_or(e = 0), bool_or(e = 0) AND bool_or(e = 1), bool_or(e = 0) AND bool_or(e = 2)] AS r
        FROM sp GROUP BY actor) o USING (actor)
WHERE s.r IS DISTINCT FROM o.r;
SELECT count(*) FILTER (WHERE s.tb IS DISTINCT FROM o.tb) AS time_between_differs,
       count(o.tb) AS actors_with_a_time
FROM sorted_result s
JOIN (SELECT f.actor, min(sp.t) FILTER (WHERE sp.e = 1 AND sp.t >= f.t0) - f.t0 AS tb
        FROM (SELECT actor, min(t) FILTER (WHERE e = 0) AS t0 FROM sp GROUP BY actor) f
        JOIN sp USING (actor) GROUP BY f.actor, f.t0) o USING (actor);
SELECT count(*) FILTER (WHERE m) AS matched, sum(c) AS pairs, count(mt) AS with_times, count(nn) AS with_next
FROM sorted_result;
-- Plain SQL for sequence_match: rows satisfying no condition do not count as
-- events (docs/journeys.md), so "(?1)(?t<=100)(?2)" holds exactly when some
-- 0 is followed by a 1 at most 100 later.
SELECT count(*) FILTER (WHERE s.m IS DISTINCT FROM o.m) AS sequence_match_differs, count(*) FILTER (WHERE o.m) AS oracle_matched
FROM sorted_result s
JOIN (SELECT x.actor, bool_or(b.actor IS NOT NULL) AS m
        FROM (SELECT DISTINCT actor FROM sp) x
        LEFT JOIN (sp a JOIN sp b ON a.actor = b.actor AND a.e = 0 AND b.e = 1 AND b.t >= a.t AND b.t - a.t <= 100)
               ON a.actor = x.actor
       GROUP BY x.actor) o USING (actor);
