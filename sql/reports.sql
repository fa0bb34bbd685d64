-- dropoff_by_stage and dropoff_rows: hand-computed cases (derivations in the
-- comments), a plain-SQL brute-force comparison on deterministic data for every
-- column, every time type, window use, and every error path.
SET timezone = 'UTC';
SET extra_float_digits = 0;
SET intervalstyle = 'postgres';

-- Runs a statement and shows its SQLSTATE and message instead of failing.
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- Levels 0 x2, 1 x3, 2 x1, 3 x4 (n = 3): actors 8, 5, 4; dropped 8-5 = 3, 5-4 = 1,
-- and 0 at the last stage; from start 1, 5/8, 4/8; from previous 1, 5/8, 4/5;
-- dropoff 3/8, 1/5, 0.
CREATE TABLE lv10 (level int);
INSERT INTO lv10 VALUES (0), (0), (1), (1), (1), (2), (3), (3), (3), (3);
SELECT dropoff_by_stage(level, 3) FROM lv10;
SELECT * FROM dropoff_rows((SELECT dropoff_by_stage(level, 3) FROM lv10));
-- A NULL level counts nowhere, like level 0.
SELECT dropoff_by_stage(level, 3) = (SELECT dropoff_by_stage(level, 3) FROM lv10) AS null_level_ignored
FROM (SELECT level FROM lv10 UNION ALL SELECT NULL) s;
-- Zero rows: NULL (the number of stages is unknown).
SELECT dropoff_by_stage(level, 3) IS NULL AS empty_is_null FROM lv10 WHERE false;
-- Only level-0 actors: every stage is empty; rates over an empty stage are NULL.
SELECT * FROM dropoff_rows((SELECT dropoff_by_stage(0, 2) FROM generate_series(1, 3)));
-- One step.
SELECT dropoff_by_stage(l, 1) FROM (VALUES (1), (0), (1)) v(l);

-- Times, timestamptz. Actor 1 reaches 3 stages at 0:00, 0:10, +1 day; actor 2
-- reaches 2 at 0:00, 0:20; actor 3 reaches none ('{}').
-- Stage 2 durations: 10 min, 20 min -> avg = median = 15 min.
-- Stage 3 durations: 23:50 -> avg = median = 23:50.
CREATE TABLE tt3 (actor int, times timestamptz[]);
INSERT INTO tt3 VALUES
    (1, ARRAY['2026-01-01 00:00', '2026-01-01 00:10', '2026-01-02 00:00']::timestamptz[]),
    (2, ARRAY['2026-01-01 00:00', '2026-01-01 00:20']::timestamptz[]),
    (3, '{}');
SELECT * FROM dropoff_rows((SELECT dropoff_by_stage(times, 3) FROM tt3));
-- timestamp: the same values without a time zone.
SELECT dropoff_by_stage(times::timestamp[], 3) FROM tt3;
-- date: durations 1 and 2 days -> avg = median = 1.5 days = 1 day 12:00.
SELECT dropoff_by_stage(t, 2)
FROM (VALUES ('{2026-01-01,2026-01-02}'::date[]), ('{2026-01-01,2026-01-03}'::date[])) v(t);
-- bigint: durations 4, 1, 2, 10 -> avg 17/4 = 4.25, median (2 + 4) / 2 = 3.
SELECT * FROM dropoff_rows((
    SELECT dropoff_by_stage(t, 2)
    FROM (VALUES ('{1,5}'::bigint[]), ('{1,2}'), ('{0,2}'), ('{5,15}'), ('{7}')) v(t)));
-- Odd count of durations -> the middle one: 1, 5, 30 minutes -> median 5 min, avg 12 min.
SELECT (dropoff_by_stage(t, 2))[2].median_time_from_previous AS median,
       (dropoff_by_stage(t, 2))[2].avg_time_from_previous AS avg
FROM (VALUES (ARRAY['2026-01-01 00:00', '2026-01-01 00:01']::timestamptz[]),
             (ARRAY['2026-01-01 00:00', '2026-01-01 00:05']::timestamptz[]),
             (ARRAY['2026-01-01 00:00', '2026-01-01 00:30']::timestamptz[])) v(t);
-- A NULL times array counts nowhere.
SELECT dropoff_by_stage(t, 2) FROM (VALUES (NULL::timestamptz[]), ('{2026-01-01}')) v(t);

-- Brute force. 300 actors in 3 channels with deterministic levels 0..4 and step
-- times; every column compared with a plain-SQL computation over the same rows.
CREATE TABLE bf AS
SELECT actor, (ARRAY['ads', 'email', 'organic'])[actor % 3 + 1] AS channel, (actor * 37 + actor / 7) % 5 AS level
FROM generate_series(1, 300) actor;
ALTER TABLE bf ADD COLUMN times timestamptz[];
UPDATE bf SET times = ARRAY(
    SELECT '2026-02-01'::timestamptz + actor * interval '1 hour'
           + (j * j * 10 + (actor * j) % 17) * interval '1 minute' + (actor % 7) * j * interval '1 second'
    FROM generate_series(1, level) j ORDER BY j);

WITH mine AS (
    SELECT channel, r.*
    FROM (SELECT channel, dropoff_by_stage(level, 4) AS s FROM bf GROUP BY channel) q, unnest(q.s) r
), brute AS (
    SELECT channel, k AS stage,
           count(*) FILTER (WHERE level >= k) AS actors,
           CASE WHEN k < 4 THEN count(*) FILTER (WHERE level = k) ELSE 0 END AS dropped,
           count(*) FILTER (WHERE level >= k)::float8 / nullif(count(*) FILTER (WHERE level >= 1), 0)::float8 AS from_start,
           CASE WHEN k = 1 THEN CASE WHEN count(*) FILTER (WHERE level >= 1) > 0 THEN 1::float8 END
                ELSE count(*) FILTER (WHERE level >= k)::float8 / nullif(count(*) FILTER (WHERE level >= k - 1), 0)::float8
           END AS from_previous,
           CASE WHEN k < 4 THEN count(*) FILTER (WHERE level = k) ELSE 0 END::float8
               / nullif(count(*) FILTER (WHERE level >= k), 0)::float8 AS dropoff_rate
    FROM bf, generate_series(1, 4) k
    GROUP BY channel, k
)
SELECT count(*) AS stages,
       bool_and(m.actors = b.actors) AS actors,
       bool_and(m.dropped = b.dropped) AS dropped,
       bool_and(m.conversion_from_start IS NOT DISTINCT FROM b.from_start) AS from_start,
       bool_and(m.conversion_from_previous IS NOT DISTINCT FROM b.from_previous) AS from_previous,
       bool_and(m.dropoff_rate IS NOT DISTINCT FROM b.dropoff_rate) AS dropoff_rate,
       bool_and(m.avg_time_from_previous IS NULL AND m.median_time_from_previous IS NULL) AS no_times
FROM mine m JOIN brute b USING (channel, stage);

-- The times form: the same counts, plus durations against avg() and percentile_cont(0.5).
WITH mine AS (
    SELECT channel, r.*
    FROM (SELECT channel, dropoff_by_stage(times, 4) AS s FROM bf GROUP BY channel) q, unnest(q.s) r
), levels AS (
    SELECT channel, r.*
    FROM (SELECT channel, dropoff_by_stage(level, 4) AS s FROM bf GROUP BY channel) q, unnest(q.s) r
), steps AS (
    SELECT channel, k AS stage, t - lag(t) OVER (PARTITION BY actor ORDER BY k) AS d
    FROM bf, unnest(times) WITH ORDINALITY u(t, k)
), brute AS (
    SELECT channel, stage, avg(d) AS avg_d, percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS median_d, count(*) AS n
    FROM steps WHERE stage >= 2 GROUP BY channel, stage
)
SELECT count(*) AS stages,
       bool_and((m.stage, m.actors, m.dropped, m.conversion_from_start, m.conversion_from_previous, m.dropoff_rate)
                IS NOT DISTINCT FROM
                (l.stage, l.actors, l.dropped, l.conversion_from_start, l.conversion_from_previous, l.dropoff_rate)) AS same_counts,
       bool_and(CASE WHEN m.stage = 1 THEN m.avg_time_from_previous IS NULL
                     ELSE abs(extract(epoch FROM m.avg_time_from_previous - b.avg_d)) <= 0.000001 END) AS avg,
       bool_and(CASE WHEN m.stage = 1 THEN m.median_time_from_previous IS NULL
                     ELSE m.median_time_from_previous = b.median_d END) AS median,
       bool_and(m.stage = 1 OR b.n = m.actors) AS duration_counts
FROM mine m JOIN levels l USING (channel, stage) LEFT JOIN brute b USING (channel, stage);

-- Row order does not matter.
SELECT (SELECT dropoff_by_stage(times, 4) FROM (SELECT times FROM bf ORDER BY actor) s)::text
     = (SELECT dropoff_by_stage(times, 4) FROM (SELECT times FROM bf ORDER BY actor DESC) s)::text AS order_invariant;

-- Flat form: one row per stage, durations also in seconds.
SELECT r.stage, r.actors, r.avg_seconds_from_previous = extract(epoch FROM r.avg_time_from_previous)::float8 AS avg_seconds,
       r.median_seconds_from_previous = extract(epoch FROM r.median_time_from_previous)::float8 AS median_seconds
FROM dropoff_rows((SELECT dropoff_by_stage(times, 4) FROM bf)) r;

-- As a window aggregate (the final function is read-only): a running funnel.
SELECT actor, level, (dropoff_by_stage(level, 4) OVER (ORDER BY actor))[1].actors AS running_stage1,
       (dropoff_by_stage(times, 4) OVER (ORDER BY actor))[2].median_time_from_previous AS running_median2
FROM bf WHERE actor <= 6 ORDER BY actor;

-- Errors.
SELECT pg_temp.err($$SELECT dropoff_by_stage(1, 0)$$);
SELECT pg_temp.err($$SELECT dropoff_by_stage(1, -2)$$);
SELECT pg_temp.err($$SELECT dropoff_by_stage(1, 65)$$);
SELECT pg_temp.err($$SELECT dropoff_by_stage(1, NULL)$$);
SELECT pg_temp.err($$SELECT dropoff_by_stage(-1, 3)$$);
SELECT pg_temp.err($$SELECT dropoff_by_stage(4, 3)$$);
SELECT pg_temp.err($$SELECT dropoff_by_stage(l, n) FROM (VALUES (1, 3), (1, 4)) v(l, n)$$);
SELECT pg_temp.err($$SELECT dropoff_by_stage('{1,2,3}'::bigint[], 2)$$);
SELECT pg_temp.err($$SELECT dropoff_by_stage('{1,NULL}'::bigint[], 2)$$);
SELECT pg_temp.err($$SELECT dropoff_by_stage('{{1,2},{3,4}}'::bigint[], 4)$$);
SELECT pg_temp.err($$SELECT dropoff_by_stage('{2026-01-01,infinity}'::timestamptz[], 2)$$);
SELECT pg_temp.err($$SELECT dropoff_by_stage('{-infinity,2026-01-01}'::timestamp[], 2)$$);
SELECT pg_temp.err($$SELECT dropoff_by_stage('{2026-01-01,infinity}'::date[], 2)$$);
SELECT pg_temp.err($$SELECT dropoff_by_stage(ARRAY[-9223372036854775807, 9223372036854775807]::bigint[], 2)$$);
SELECT pg_temp.err($$SELECT dropoff_by_stage(t, n) FROM (VALUES ('{1}'::bigint[], 1), ('{1}', 2)) v(t, n)$$);
