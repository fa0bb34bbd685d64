-- Parallel plans for dropoff_by_stage, micro_stats, micro_value and
-- micro_correlations: partial aggregation in workers, states serialized, shipped,
-- deserialized and combined in the leader. Every result must be identical to the
-- serial plan's (compared as text, so every digit counts).
SET extra_float_digits = 0;
SET intervalstyle = 'postgres';

CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- 60000 actors: a funnel level with step times, a micro and a macro flag with a
-- value, and the set of events done.
CREATE TABLE big AS
SELECT actor,
       (ARRAY['ads', 'email', 'organic', 'social'])[actor % 4 + 1] AS channel,
       (actor * 37 + actor / 11) % 5 AS level,
       CASE WHEN actor % 17 = 0 THEN NULL ELSE (actor * 7) % 10 < 4 END AS micro,
       CASE WHEN (actor * 7) % 10 < 4 THEN (actor * 13) % 10 < 6 ELSE (actor * 13) % 10 < 2 END AS macro,
       CASE WHEN actor % 6 = 0 THEN NULL ELSE ((actor * 31) % 200) + 0.25 * (actor % 4) END AS val,
       array_remove(ARRAY[CASE WHEN actor % 3 = 0 THEN 'signup' END,
                          CASE WHEN actor % 4 < 2 THEN 'video' END,
                          CASE WHEN actor % 5 = 0 THEN 'whitepaper' END,
                          CASE WHEN actor % 1000 = 0 THEN 'rare' END,
                          'e' || (actor % 37)], NULL) AS events
FROM generate_series(1, 60000) actor;
ALTER TABLE big ADD COLUMN times timestamptz[];
UPDATE big SET times = ARRAY(
    SELECT '2026-03-01 00:00:00+00'::timestamptz + actor * interval '1 minute'
           + (j * j * 600 + (actor * j) % 1700) * interval '1 second'
    FROM generate_series(1, level) j ORDER BY j);
ALTER TABLE big ADD COLUMN seconds bigint[];
UPDATE big SET seconds = ARRAY(SELECT extract(epoch FROM t)::bigint FROM unnest(times) t);
ANALYZE big;

-- The queries, run once serially and once in parallel.
CREATE VIEW whole AS
SELECT dropoff_by_stage(level, 4) AS by_level,
       dropoff_by_stage(times, 4) AS by_times,
       dropoff_by_stage(seconds, 4) AS by_bigint,
       micro_stats(micro, macro, val) AS stats,
       micro_value(micro, macro, val) AS value,
       micro_correlations(events, macro) AS corr,
       micro_correlations(events, macro, val, 500) AS corr_value
FROM big;
CREATE VIEW grouped AS
SELECT channel,
       dropoff_by_stage(times, 4) AS by_times,
       micro_stats(micro, macro, val) AS stats,
       micro_correlations(events, macro, 100) AS corr
FROM big GROUP BY channel;

SET max_parallel_workers_per_gather = 0;
CREATE TABLE serial_whole AS SELECT * FROM whole;
CREATE TABLE serial_grouped AS SELECT * FROM grouped;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET force_parallel_mode = regress;
SET enable_hashagg = off;

EXPLAIN (COSTS OFF) SELECT * FROM whole;
EXPLAIN (COSTS OFF) SELECT * FROM grouped;

-- Identical results, field by field.
SELECT s.by_level::text = p.by_level::text AS by_level,
       s.by_times::text = p.by_times::text AS by_times,
       s.by_bigint::text = p.by_bigint::text AS by_bigint,
       s.stats::text = p.stats::text AS stats,
       s.value = p.value AS value,
       s.corr::text = p.corr::text AS corr,
       s.corr_value::text = p.corr_value::text AS corr_value,
       cardinality(p.corr) AS corr_events, cardinality(p.corr_value) AS corr_value_events
FROM serial_whole s, whole p;

SELECT count(*) AS groups,
       bool_and(s.by_times::text = p.by_times::text) AS by_times,
       bool_and(s.stats::text = p.stats::text) AS stats,
       bool_and(s.corr::text = p.corr::text) AS corr
FROM serial_grouped s JOIN grouped p USING (channel);

-- With hash aggregation too.
RESET enable_hashagg;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT * FROM grouped;
SELECT count(*) AS groups,
       bool_and(s.by_times::text = p.by_times::text) AS by_times,
       bool_and(s.stats::text = p.stats::text) AS stats,
       bool_and(s.corr::text = p.corr::text) AS corr
FROM serial_grouped s JOIN grouped p USING (channel);
RESET enable_sort;

-- A few values, to see that the comparison compares something.
SELECT (stats).a, (stats).b, (stats).c, (stats).d, round((stats).p_value::numeric, 6) AS p, (stats).p_test,
       round(value, 6) AS value, (by_level[2]).actors AS stage2, (by_times[2]).median_time_from_previous AS median2
FROM whole;

-- Settings that differ between rows of a group are caught whether the rows meet
-- in one worker's transition function or in the leader's combine function.
SELECT pg_temp.err($$SELECT dropoff_by_stage(level, CASE WHEN actor > 30000 THEN 5 ELSE 4 END) FROM big$$);
SELECT pg_temp.err($$SELECT micro_correlations(events, macro, CASE WHEN actor > 30000 THEN 5 ELSE 4 END) FROM big$$);
